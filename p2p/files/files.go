package files

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/internal/service"
	"hearth/p2p/wire"
)

const (
	// ID is the protocol ID.
	ID = "/hearth/files/1.0.0"
	// ServiceName names the protocol in the resource manager.
	ServiceName = "hearth.files"

	// MaxSize is the largest file that can be offered.
	MaxSize = wire.MaxFileSize
	// MaxChunkSize is the most data a chunk may carry.
	MaxChunkSize = wire.MaxFileChunk
	// MinChunkSize is the smallest chunk size a Config may ask for.
	MinChunkSize = 4 << 10
	// DefaultChunkSize is what a sender sends per chunk: a receiver's
	// block (block.go) is then one chunk. The whole app's 1 GiB bench
	// ran 2-3% faster than with 256 KiB chunks (four of five alternating
	// runs); a pause resets the stream, so its latency does not depend
	// on the chunk size.
	DefaultChunkSize = 1 << 20
	// DefaultCheckpoint is how many bytes a receiver writes between
	// durable checkpoints (fsync of the data, then the sidecar).
	DefaultCheckpoint = 32 << 20
	// DefaultIdleTimeout bounds every wait for the peer: the request, each
	// reply, each chunk read or written.
	DefaultIdleTimeout = 30 * time.Second
	// MaxCorruptRetries is how many fetches in a row may end in a damaged
	// chunk before Fetch gives up with ErrCorrupt.
	MaxCorruptRetries = 5
	// progressEvery is the most often Fetch calls its progress function.
	progressEvery = 100 * time.Millisecond
)

// Offer describes a file the sender is ready to serve.
type Offer struct {
	TransferID string // letters, digits, '-', '_', '.'; at most 256 bytes
	Name       string // base name: no path separators, NUL or control characters; ≤ 255 bytes
	Size       int64  // 0 … MaxSize
	MIME       string
	SHA256     [32]byte
	VoiceNote  bool
	// Group is the group conversation the file belongs to; empty for a
	// one-to-one transfer. app/core admits group members who are not
	// contacts only to transfers of their group.
	Group string
}

// ControlKind says what a Control message asks.
type ControlKind int

// Control kinds, either way between sender and recipient.
const (
	Pause    = ControlKind(wire.FilePause)    // stop for now
	Resume   = ControlKind(wire.FileResume)   // go on
	Cancel   = ControlKind(wire.FileCancel)   // give up for good
	Decline  = ControlKind(wire.FileDecline)  // the recipient does not want it
	Received = ControlKind(wire.FileReceived) // the recipient has it, checked
	// Quarantined: the recipient's virus scanner found Reason (the
	// signature's name).
	Quarantined = ControlKind(wire.FileQuarantined)
)

func (k ControlKind) String() string {
	switch k {
	case Pause:
		return "Pause"
	case Resume:
		return "Resume"
	case Cancel:
		return "Cancel"
	case Decline:
		return "Decline"
	case Received:
		return "Received"
	case Quarantined:
		return "Quarantined"
	}
	return fmt.Sprintf("ControlKind(%d)", int(k))
}

// Control pauses, resumes, cancels, declines or confirms a transfer.
type Control struct {
	TransferID string
	Kind       ControlKind
	Reason     string // at most wire.MaxReasonLen bytes; longer is cut
}

// Config holds the callbacks and limits of a Service. The callbacks run on
// the goroutine serving the peer's stream; they should return promptly.
type Config struct {
	// Allow reports whether a peer may use the protocol at all; a stream
	// from anyone else is reset. Nil allows everyone; app/core passes
	// "is an accepted contact".
	Allow func(peer.ID) bool
	// OnOffer persists an offer (it is called again for the same offer
	// after reconnects and must be idempotent). A non-nil error refuses the
	// offer and its text is the reason the sender sees. Nil refuses all.
	OnOffer func(from peer.ID, o Offer) error
	// OnControl receives the peer's control messages.
	OnControl func(from peer.ID, c Control)
	// OnFetch says which file to stream for a transfer the peer fetches,
	// and how long it is. A non-nil error refuses the fetch (unknown,
	// paused, cancelled …) and its text is the reason. Nil refuses all.
	OnFetch func(from peer.ID, transferID string) (path string, size int64, err error)
	// OnServed, when set, hears how far a fetch being served has got:
	// the file offset up to which chunks were handed to the stream, at
	// most every 100 ms and once at the end. (Up to a stream window more
	// than the peer has verified.)
	OnServed func(to peer.ID, transferID string, sent int64)
	// ChunkSize is the data per chunk this side sends; 0 means
	// DefaultChunkSize, others are clamped to [MinChunkSize, MaxChunkSize].
	ChunkSize int
	// Checkpoint is how many bytes a Fetch writes between durable
	// checkpoints; 0 means DefaultCheckpoint.
	Checkpoint int64
	// IdleTimeout bounds every wait for the peer; 0 means
	// DefaultIdleTimeout.
	IdleTimeout time.Duration
}

// Service is the file protocol on one host: it answers offers, controls
// and fetches, and makes them.
type Service struct {
	h       host.Host
	cfg     Config
	streams *service.Streams // every open stream, reset by Close

	// testChunk, when set, sees every chunk this side serves after its
	// checksum was computed and before it is sent (tests damage chunks).
	testChunk func(offset int64, data []byte)

	// fields below protected by mu
	mu       sync.Mutex
	fetching map[string]bool // partial files a Fetch is writing
}

// New registers the file protocol on h.
func New(h host.Host, cfg Config) *Service {
	switch {
	case cfg.ChunkSize == 0:
		cfg.ChunkSize = DefaultChunkSize
	case cfg.ChunkSize < MinChunkSize:
		cfg.ChunkSize = MinChunkSize
	case cfg.ChunkSize > MaxChunkSize:
		cfg.ChunkSize = MaxChunkSize
	}
	if cfg.Checkpoint <= 0 {
		cfg.Checkpoint = DefaultCheckpoint
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	s := &Service{
		h:        h,
		cfg:      cfg,
		streams:  service.New(h, ID, ServiceName),
		fetching: make(map[string]bool),
	}
	s.streams.Handle(cfg.Allow, s.handle)
	return s
}

// Close removes the protocol handler, resets every open file stream (a
// running Fetch returns ErrClosed, its partial file valid) and waits for
// the inbound handlers to return.
func (s *Service) Close() error { return s.streams.Close() }

func (s *Service) isClosed() bool { return s.streams.Closed() }

// Offer offers o to p and returns when p has stored it. A refusal is
// ErrRefused wrapping the peer's reason.
func (s *Service) Offer(ctx context.Context, p peer.ID, o Offer) error {
	wo := toWire(o)
	if err := wo.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	_, err := s.ask(ctx, p, wire.FileRequest{Offer: &wo})
	return wrap(err, "offering %s", o.TransferID)
}

// Control sends c to p and returns when p has received it.
func (s *Service) Control(ctx context.Context, p peer.ID, c Control) error {
	wc := wire.FileControl{TransferID: c.TransferID, Kind: uint32(c.Kind), Reason: reasonText(c.Reason)}
	if err := wc.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	_, err := s.ask(ctx, p, wire.FileRequest{Control: &wc})
	return wrap(err, "sending %v for %s", c.Kind, c.TransferID)
}

// ask sends one request on a new stream and reads the reply.
func (s *Service) ask(ctx context.Context, p peer.ID, req wire.FileRequest) (wire.FileReply, error) {
	st, r, err := s.open(ctx, p, req)
	if err != nil {
		return wire.FileReply{}, err
	}
	defer s.streams.Untrack(st, false)
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	defer stop()
	rep, err := s.readReply(st, r)
	if err != nil {
		st.Reset()
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		return rep, err
	}
	st.Close()
	return rep, nil
}

// open opens a stream to p, sends req and closes the writing side. The
// caller untracks the stream.
func (s *Service) open(ctx context.Context, p peer.ID, req wire.FileRequest) (network.Stream, *bufio.Reader, error) {
	if s.isClosed() {
		return nil, nil, ErrClosed
	}
	st, err := s.h.NewStream(ctx, p, ID)
	if err != nil {
		return nil, nil, fmt.Errorf("opening file stream: %w", err)
	}
	if err := st.Scope().SetService(ServiceName); err != nil {
		st.Reset()
		return nil, nil, fmt.Errorf("opening file stream: %w", err)
	}
	if !s.streams.Track(st, false) {
		st.Reset()
		return nil, nil, ErrClosed
	}
	st.SetWriteDeadline(s.deadline(ctx))
	if err := wire.WriteFrame(st, req.Marshal()); err != nil {
		st.Reset()
		s.streams.Untrack(st, false)
		return nil, nil, err
	}
	st.CloseWrite()
	return st, bufio.NewReader(st), nil
}

// readReply reads the reply to a request; a refusal is an ErrRefused error.
func (s *Service) readReply(st network.Stream, r *bufio.Reader) (wire.FileReply, error) {
	st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
	b, err := wire.ReadFrame(r, wire.MaxFileRequestFrame)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		if s.isClosed() {
			return wire.FileReply{}, ErrClosed
		}
		return wire.FileReply{}, fmt.Errorf("reading reply: %w", err)
	}
	var rep wire.FileReply
	if err := rep.Unmarshal(b); err != nil {
		return rep, fmt.Errorf("%w: reply: %v", ErrProtocol, err)
	}
	if err := rep.Validate(); err != nil {
		return rep, fmt.Errorf("%w: reply: %v", ErrProtocol, err)
	}
	if rep.Status == wire.FileRefused {
		return rep, refused(rep.Reason)
	}
	return rep, nil
}

// wrap adds context to err, except to a refusal or ErrClosed: those stay
// bare, so err.Error() is "refused: <reason>" and the text after the first
// ": " is the peer's reason.
func wrap(err error, format string, args ...any) error {
	if err == nil || errors.Is(err, ErrRefused) || err == ErrClosed {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// refused makes the error for a peer's refusal: "refused: <reason>", the
// form app/core cuts the reason out of.
func refused(reason string) error {
	if reason == "" {
		reason = "no reason given"
	}
	return &refusedError{reason}
}

type refusedError struct{ reason string }

func (e *refusedError) Error() string { return ErrRefused.Error() + ": " + e.reason }
func (e *refusedError) Unwrap() error { return ErrRefused }

// Reason returns the peer's reason when err is a refusal.
func Reason(err error) (string, bool) {
	var r *refusedError
	if errors.As(err, &r) {
		return r.reason, true
	}
	return "", false
}

func (s *Service) deadline(ctx context.Context) time.Time {
	d := time.Now().Add(s.cfg.IdleTimeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// handle serves one inbound stream: one request, one reply, and for a
// fetch the file's chunks.
func (s *Service) handle(st network.Stream, from peer.ID) {
	st.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
	b, err := wire.ReadFrame(bufio.NewReaderSize(st, 512), wire.MaxFileRequestFrame)
	if err != nil {
		st.Reset()
		return
	}
	var req wire.FileRequest
	if req.Unmarshal(b) != nil || req.Validate() != nil {
		st.Reset()
		return
	}
	switch {
	case req.Offer != nil:
		var err error = errNotAccepting
		if s.cfg.OnOffer != nil {
			err = s.cfg.OnOffer(from, fromWire(*req.Offer))
		}
		s.reply(st, replyFor(err))
	case req.Control != nil:
		if s.cfg.OnControl != nil {
			c := req.Control
			s.cfg.OnControl(from, Control{TransferID: c.TransferID, Kind: ControlKind(c.Kind), Reason: c.Reason})
		}
		s.reply(st, wire.FileReply{Status: wire.FileOK})
	case req.Fetch != nil:
		s.serve(st, from, *req.Fetch)
	}
}

var (
	errNotAccepting = errors.New("not accepting files")
	errUnknown      = errors.New("unknown transfer")
)

// reply sends rep and closes the stream.
func (s *Service) reply(st network.Stream, rep wire.FileReply) {
	st.SetWriteDeadline(time.Now().Add(s.cfg.IdleTimeout))
	if err := wire.WriteFrame(st, rep.Marshal()); err != nil {
		st.Reset()
		return
	}
	st.Close()
}

func replyFor(err error) wire.FileReply {
	if err != nil {
		return wire.FileReply{Status: wire.FileRefused, Reason: reasonText(err.Error())}
	}
	return wire.FileReply{Status: wire.FileOK}
}

// reasonText makes text fit for the wire: valid UTF-8, at most
// wire.MaxReasonLen bytes, cut at a character boundary.
func reasonText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= wire.MaxReasonLen {
		return s
	}
	cut := wire.MaxReasonLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func toWire(o Offer) wire.FileOffer {
	return wire.FileOffer{TransferID: o.TransferID, Name: o.Name, Size: o.Size, MIME: o.MIME, SHA256: o.SHA256, VoiceNote: o.VoiceNote, Group: o.Group}
}

func fromWire(o wire.FileOffer) Offer {
	return Offer{TransferID: o.TransferID, Name: o.Name, Size: o.Size, MIME: o.MIME, SHA256: o.SHA256, VoiceNote: o.VoiceNote, Group: o.Group}
}

// Wire is o as the offer message carries it (also inside a carried file,
// see hearth/p2p/wire.CarriedFile).
func (o Offer) Wire() wire.FileOffer { return toWire(o) }

// OfferFromWire is the offer a decoded, validated offer message makes.
func OfferFromWire(w wire.FileOffer) Offer { return fromWire(w) }
