package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hearth/app/core/event"
	"hearth/contacts"
)

const fileBenchSize = 1 << 30

// benchFiles: a 1 GiB file between two nodes on loopback (accepted, pulled
// in verified chunks, SHA-256 checked, moved into place), beside raw TCP on
// loopback carrying the same number of bytes in the same run.
func benchFiles() ([]result, error) {
	rc0 := cpuTime()
	ref, err := rawTCPThroughput(fileBenchSize)
	if err != nil {
		return nil, err
	}
	refCPU := cpuTime() - rc0
	a, b, cleanup, err := twoPeers(loopbackOpts())
	if err != nil {
		return nil, err
	}
	defer cleanup()
	dir, err := os.MkdirTemp("", "hearth-bench-files-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := b.m.Transfers.SetDownloadDir(filepath.Join(dir, "downloads")); err != nil {
		return nil, err
	}
	disk, err := diskWriteThroughput(dir, fileBenchSize)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "big.bin")
	if err := writeRandom(path, fileBenchSize); err != nil {
		return nil, err
	}
	sent, err := a.m.Transfers.SendFile(b.m.MyPeerID(), path)
	if err != nil {
		return nil, err
	}
	from := a.m.MyPeerID()
	state := func() contacts.Transfer {
		ts, _ := b.m.Transfers.Transfers(from)
		for _, t := range ts {
			if t.ID == sent.ID {
				return t
			}
		}
		return contacts.Transfer{State: -1}
	}
	if err := waitFor("offer", 30*time.Second, func() bool { return state().State == contacts.Offered }); err != nil {
		return nil, err
	}
	// The clock stops when the transfer's final state is published, not
	// at the next look at the store (polling every 20 ms added up to
	// 20 ms to a transfer of about a second, and its queries ran beside
	// it).
	ended := make(chan struct{})
	var once sync.Once
	b.mu.Lock()
	b.onEvent = func(e event.Event) {
		if tc, ok := e.(event.TransferChanged); ok && tc.Transfer.ID == sent.ID {
			if st := tc.Transfer.State; st == contacts.Done || st == contacts.Failed {
				once.Do(func() { close(ended) })
			}
		}
	}
	b.mu.Unlock()
	c0, t0 := cpuTime(), time.Now()
	if err := b.m.Transfers.AcceptTransfer(sent.ID); err != nil {
		return nil, err
	}
	select {
	case <-ended:
	case <-time.After(600 * time.Second):
		return nil, fmt.Errorf("timed out waiting for the file")
	}
	wall := time.Since(t0)
	cpu := cpuTime() - c0
	if st := state(); st.State != contacts.Done {
		return nil, fmt.Errorf("transfer ended %v: %s", st.State, st.Reason)
	}
	mbps := fileBenchSize / wall.Seconds() / 1e6
	return []result{
		{name: "file_1GiB_loopback", value: mbps, unit: "MB/s", ref: "raw_tcp_loopback", refVal: ref, refU: "MB/s", target: ">= 25% of raw TCP"},
		{name: "file_1GiB_share_of_raw_tcp", value: 100 * mbps / ref, unit: "%", target: ">= 25 %"},
		{name: "file_1GiB_cpu_both_sides", value: cpu.Seconds(), unit: "cpu-s/GiB", ref: "raw_tcp_loopback_cpu", refVal: refCPU.Seconds(), refU: "cpu-s/GiB"},
		{name: "file_1GiB_share_of_disk_write", value: 100 * mbps / disk, unit: "%", ref: "disk_write_1GiB", refVal: disk, refU: "MB/s"},
	}, nil
}

// writeRandom writes n pseudo-random bytes (fast, not secret).
func writeRandom(path string, n int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.NewChaCha8([32]byte{1})
	if _, err := io.CopyN(w, r, n); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	// On disk before the clock starts: its write-back must not compete
	// with the transfer being measured.
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rawTCPThroughput sends n bytes from memory over a loopback TCP
// connection and returns MB/s.
func rawTCPThroughput(n int64) (float64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		_, err = io.Copy(io.Discard, c)
		done <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	buf := make([]byte, 256<<10)
	for sent := int64(0); sent < n; sent += int64(len(buf)) {
		if _, err := c.Write(buf); err != nil {
			return 0, err
		}
	}
	c.Close()
	if err := <-done; err != nil {
		return 0, err
	}
	return float64(n) / time.Since(t0).Seconds() / 1e6, nil
}

// diskWriteThroughput writes n bytes from memory to a new file in dir
// through the page cache and fsyncs it, and returns MB/s: what saving a
// received file costs at least, beside the raw TCP figure.
func diskWriteThroughput(dir string, n int64) (float64, error) {
	path := filepath.Join(dir, "disk-reference.bin")
	defer os.Remove(path)
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 256<<10)
	t0 := time.Now()
	for done := int64(0); done < n; done += int64(len(buf)) {
		if _, err := f.Write(buf); err != nil {
			return 0, err
		}
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(t0).Seconds() / 1e6, nil
}
