package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hearth/contacts"
)

const groupFileBenchSize = 256 << 20

// benchGroupFiles: a 256 MiB file sent into a 3-member group on loopback;
// both other members accept at once and pull it from the sender at the
// same time. The figure is the bytes delivered (size × 2) per second of
// wall time, beside one member alone pulling the same file.
func benchGroupFiles() ([]result, error) {
	root, err := os.MkdirTemp("", "hearth-bench-groupfiles-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	peers, err := newPeers(root, loopbackOpts(), "g0", "g1", "g2")
	if err != nil {
		return nil, err
	}
	defer closePeers(peers...)
	for i := range peers {
		if err := peers[i].m.Transfers.SetDownloadDir(filepath.Join(root, fmt.Sprintf("dl%d", i))); err != nil {
			return nil, err
		}
	}
	sender, members := peers[0], peers[1:]
	var ids []string
	for _, p := range members {
		if err := pair(sender, p); err != nil {
			return nil, err
		}
		ids = append(ids, p.m.MyPeerID())
	}
	g, err := sender.m.Groups.CreateGroup("Bench files", ids)
	if err != nil {
		return nil, err
	}
	if err := waitFor("every member holds the group", 60*time.Second, func() bool {
		for _, p := range members {
			if _, err := p.m.Groups.Group(g.ID); err != nil {
				return false
			}
		}
		return true
	}); err != nil {
		return nil, err
	}
	path := filepath.Join(root, "big.bin")
	if err := writeRandom(path, groupFileBenchSize); err != nil {
		return nil, err
	}
	conv := contacts.GroupConversation(g.ID)
	// send offers the file and times it until the given members have it.
	send := func(takers []*benchPeer) (time.Duration, error) {
		sent, err := sender.m.Transfers.SendFile(conv, path)
		if err != nil {
			return 0, err
		}
		state := func(p *benchPeer) contacts.TransferState {
			ts, _ := p.m.Transfers.Transfers(conv)
			for _, t := range ts {
				if t.ID == sent.ID {
					return t.State
				}
			}
			return -1
		}
		if err := waitFor("offers", 30*time.Second, func() bool {
			return state(members[0]) == contacts.Offered && state(members[1]) == contacts.Offered
		}); err != nil {
			return 0, err
		}
		t0 := time.Now()
		for _, p := range takers {
			if err := p.m.Transfers.AcceptTransfer(sent.ID); err != nil {
				return 0, err
			}
		}
		err = waitFor("files received", 600*time.Second, func() bool {
			time.Sleep(20 * time.Millisecond)
			for _, p := range takers {
				if st := state(p); st != contacts.Done && st != contacts.Failed {
					return false
				}
			}
			return true
		})
		wall := time.Since(t0)
		for _, p := range takers {
			if st := state(p); st != contacts.Done {
				return 0, fmt.Errorf("%s's copy ended %v", p.m.MyName(), st)
			}
		}
		return wall, err
	}
	one, err := send(members[:1])
	if err != nil {
		return nil, err
	}
	both, err := send(members)
	if err != nil {
		return nil, err
	}
	oneMBps := groupFileBenchSize / one.Seconds() / 1e6
	bothMBps := 2 * groupFileBenchSize / both.Seconds() / 1e6
	return []result{
		{name: "group_file_256MiB_to_2_members", value: bothMBps, unit: "MB/s delivered", ref: "group_file_256MiB_to_1_member", refVal: oneMBps, refU: "MB/s"},
		{name: "group_file_256MiB_to_2_members_wall", value: both.Seconds(), unit: "s"},
	}, nil
}
