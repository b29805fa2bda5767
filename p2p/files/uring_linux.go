package files

import (
	"errors"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// A direct write blocks its thread until the disk has the data: about
// 0.4 s per GiB here. Go counts a thread in a system call as still
// holding its processor until sysmon takes it back, which it does not for
// calls this short once it has slowed down, so on a two-core machine half
// of the CPU sat idle behind each write while decryption, hashing and the
// sender waited (a trace showed it). An io_uring write instead is handed
// to the kernel, and the writer waits for its completion on an eventfd
// through Go's poller, like a socket: the processor runs other goroutines
// meanwhile. One request at a time, so the semantics are pwrite's. The
// checkpoints' fsyncs go through a ring of their own the same way. Where
// io_uring is missing or forbidden (old kernels, seccomp sandboxes) the
// writes are plain pwrites.

const (
	sysIOURingSetup    = 425
	sysIOURingEnter    = 426
	sysIOURingRegister = 427
	ioringOffSQRing    = 0
	ioringOffCQRing    = 0x8000000
	ioringOffSQEs      = 0x10000000
	ioringOpFsync      = 3
	ioringOpWrite      = 23
	ioringRegEventFD   = 4
	uringEntries       = 4
)

// uringParams is struct io_uring_params.
type uringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFD uint32
	resv                                                                   [3]uint32
	sqOff                                                                  struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
		userAddr                                                        uint64
	}
	cqOff struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
		userAddr                                                        uint64
	}
}

// uringSQE is struct io_uring_sqe.
type uringSQE struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off, addr     uint64
	len, rwFlags  uint32
	userData      uint64
	bufIndex      uint16
	personality   uint16
	spliceFDIn    int32
	addr3, pad    uint64
}

// uringCQE is struct io_uring_cqe.
type uringCQE struct {
	userData uint64
	res      int32
	flags    uint32
}

// The layouts are the kernel's ABI.
var (
	_ [120 - unsafe.Sizeof(uringParams{})]struct{}
	_ [unsafe.Sizeof(uringParams{}) - 120]struct{}
	_ [64 - unsafe.Sizeof(uringSQE{})]struct{}
	_ [unsafe.Sizeof(uringSQE{}) - 64]struct{}
	_ [16 - unsafe.Sizeof(uringCQE{})]struct{}
	_ [unsafe.Sizeof(uringCQE{}) - 16]struct{}
)

// uring is an io_uring instance for one writer goroutine, with an eventfd
// that the kernel signals on each completion.
type uring struct {
	fd             int
	maps           [][]byte // SQ ring, CQ ring, SQEs: unmapped by close
	sqTail, sqMask *uint32
	sqArray        unsafe.Pointer
	sqes           unsafe.Pointer
	cqHead, cqTail *uint32
	cqMask         uint32
	cqes           unsafe.Pointer
	ev             *os.File // the eventfd, read through the poller
}

// newURing sets up an io_uring, or returns nil where there is none.
func newURing() *uring {
	var p uringParams
	fd, _, e := syscall.Syscall(sysIOURingSetup, uringEntries, uintptr(unsafe.Pointer(&p)), 0)
	if e != 0 {
		return nil
	}
	u := &uring{fd: int(fd)}
	ok := false
	defer func() {
		if !ok {
			u.close()
		}
	}()
	for _, m := range []struct {
		off  int64
		size uint32
	}{
		{ioringOffSQRing, p.sqOff.array + p.sqEntries*4},
		{ioringOffCQRing, p.cqOff.cqes + p.cqEntries*uint32(unsafe.Sizeof(uringCQE{}))},
		{ioringOffSQEs, p.sqEntries * uint32(unsafe.Sizeof(uringSQE{}))},
	} {
		b, err := syscall.Mmap(u.fd, m.off, int(m.size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_POPULATE)
		if err != nil {
			return nil
		}
		u.maps = append(u.maps, b)
	}
	sq, cq := unsafe.Pointer(&u.maps[0][0]), unsafe.Pointer(&u.maps[1][0])
	u.sqTail = (*uint32)(unsafe.Add(sq, p.sqOff.tail))
	u.sqMask = (*uint32)(unsafe.Add(sq, p.sqOff.ringMask))
	u.sqArray = unsafe.Add(sq, p.sqOff.array)
	u.sqes = unsafe.Pointer(&u.maps[2][0])
	u.cqHead = (*uint32)(unsafe.Add(cq, p.cqOff.head))
	u.cqTail = (*uint32)(unsafe.Add(cq, p.cqOff.tail))
	u.cqMask = *(*uint32)(unsafe.Add(cq, p.cqOff.ringMask))
	u.cqes = unsafe.Add(cq, p.cqOff.cqes)
	efd, _, e := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		return nil
	}
	u.ev = os.NewFile(efd, "io_uring eventfd")
	fd32 := int32(efd)
	if _, _, e := syscall.Syscall6(sysIOURingRegister, uintptr(u.fd), ioringRegEventFD, uintptr(unsafe.Pointer(&fd32)), 1, 0, 0); e != 0 {
		return nil
	}
	ok = true
	return u
}

func (u *uring) close() {
	if u == nil {
		return
	}
	for _, m := range u.maps {
		syscall.Munmap(m)
	}
	u.maps = nil
	if u.ev != nil {
		u.ev.Close()
	}
	syscall.Close(u.fd)
}

// errURing: the ring itself failed (not the write); the caller goes on
// with pwrite.
var errURing = errors.New("io_uring failed")

// pwrite writes b at off in f and waits for it without holding a Go
// processor. It returns how much was written, as pwrite(2) would.
func (u *uring) pwrite(f *os.File, b []byte, off int64) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := u.do(uringSQE{
		opcode: ioringOpWrite,
		fd:     int32(f.Fd()),
		off:    uint64(off),
		addr:   uint64(uintptr(unsafe.Pointer(&b[0]))),
		len:    uint32(len(b)),
	})
	runtime.KeepAlive(b) // the kernel read it until now
	return n, err
}

// fsync is f.Sync without holding a Go processor.
func (u *uring) fsync(f *os.File) error {
	_, err := u.do(uringSQE{opcode: ioringOpFsync, fd: int32(f.Fd())})
	runtime.KeepAlive(f)
	return err
}

// do submits one request and waits for its completion on the eventfd.
// It returns the request's result: a count, or its errno as the error.
func (u *uring) do(req uringSQE) (int, error) {
	tail := atomic.LoadUint32(u.sqTail)
	i := tail & atomic.LoadUint32(u.sqMask)
	*(*uringSQE)(unsafe.Add(u.sqes, uintptr(i)*unsafe.Sizeof(uringSQE{}))) = req
	*(*uint32)(unsafe.Add(u.sqArray, uintptr(i)*4)) = i
	atomic.StoreUint32(u.sqTail, tail+1)
	for try := 0; ; try++ {
		n, _, e := syscall.Syscall6(sysIOURingEnter, uintptr(u.fd), 1, 0, 0, 0, 0)
		if e == 0 && n == 1 {
			break
		}
		if try == 100 || (e != 0 && e != syscall.EINTR && e != syscall.EAGAIN) {
			// Not submitted: the caller closes the ring, so the request
			// never runs, and writes with pwrite.
			return 0, errURing
		}
	}
	var buf [8]byte
	for {
		head := atomic.LoadUint32(u.cqHead)
		if head != atomic.LoadUint32(u.cqTail) {
			c := (*uringCQE)(unsafe.Add(u.cqes, uintptr(head&u.cqMask)*unsafe.Sizeof(uringCQE{})))
			res := c.res
			atomic.StoreUint32(u.cqHead, head+1)
			if res < 0 {
				return 0, syscall.Errno(-res)
			}
			return int(res), nil
		}
		if _, err := u.ev.Read(buf[:]); err != nil {
			return 0, errURing
		}
	}
}
