package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hearth/contacts"
)

// benchCarryFiles: small files (photos) through a carrier on loopback. A
// sender offers a batch of 200 KiB files to a recipient who is offline;
// they are sealed and deposited with a carrier (durable there); the
// sender leaves; the recipient comes back and takes them from the carrier
// until every file is checked and saved (its start included). The
// reference is the same batch sent directly to an online contact in the
// same run, until every file is saved there.
func benchCarryFiles() ([]result, error) {
	const n, size = 20, 200 << 10
	root, err := os.MkdirTemp("", "hearth-bench-carryfiles-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	opts := loopbackOpts()
	s, r, c, err := carrierPeers(root, opts)
	if err != nil {
		return nil, err
	}
	defer closePeers(s, r, c) // those still running
	for _, p := range []*benchPeer{r, c} {
		if err := p.m.Transfers.SetDownloadDir(filepath.Join(root, "downloads-"+p.m.MyName())); err != nil {
			return nil, err
		}
	}
	sID, rID, cID := s.m.MyPeerID(), r.m.MyPeerID(), c.m.MyPeerID()
	var paths []string
	for i := range n {
		p := filepath.Join(root, fmt.Sprintf("photo-%02d.jpg", i))
		if err := writeRandom(p, size); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	saved := func(m interface {
		Transfers(string) ([]contacts.Transfer, error)
	}, conv string) int {
		ts, _ := m.Transfers(conv)
		k := 0
		for _, t := range ts {
			if t.State == contacts.Done {
				k++
			}
		}
		return k
	}

	// Reference: the batch straight to an online contact.
	t0 := time.Now()
	for _, p := range paths {
		if _, err := s.m.Transfers.SendFile(cID, p); err != nil {
			return nil, err
		}
	}
	if err := waitFor("direct files saved", 120*time.Second, func() bool {
		time.Sleep(5 * time.Millisecond)
		return saved(c.m.Transfers, sID) == n
	}); err != nil {
		return nil, err
	}
	direct := n / time.Since(t0).Seconds()

	send := func() error {
		for _, p := range paths {
			if _, err := s.m.Transfers.SendFile(rID, p); err != nil {
				return err
			}
		}
		return nil
	}
	deposit, handover, held, err := carryRun(s, r, c, opts, n, send, func() bool { return saved(r.m.Transfers, sID) == n })
	if err != nil {
		return nil, err
	}

	return []result{
		{name: "carry_file_200KiB_deposit", value: deposit, unit: "files/s", ref: "direct_files", refVal: direct, refU: "files/s"},
		{name: "carry_file_200KiB_handover_saved", value: handover, unit: "files/s", ref: "direct_files", refVal: direct, refU: "files/s"},
		{name: "carry_file_stored_overhead", value: 100 * (float64(held)/n - size) / size, unit: "%", ref: "file", refVal: size, refU: "B"},
	}, nil
}
