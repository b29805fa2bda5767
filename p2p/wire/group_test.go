package wire

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

var fixtureGroupState = GroupState{
	ID: "00112233445566778899aabbccddeeff", Name: "Choir", Creator: fixturePeer,
	Nonce: []byte("0123456789abcdef"), Version: 2, CreatedAt: 1700000000000,
	Members: []GroupMember{
		{PeerID: fixturePeer, Name: "Ann", Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}},
		{PeerID: "12D3KooWBob", Name: "Bob"},
	},
}

// Frozen group encodings: see fixtures in wire_test.go.
var groupFixtures = []fixture{
	{"GroupState", fixtureGroupState,
		"0a203030313132323333343435353636373738383939616162626363646465656666120543686f69721a34313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a35694859644266655342" +
			"221030313233343536373839616263646566280232540a34313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a356948596442666553421203416e6e1a172f6970342f3132372e302e302e312f7463702f34303031" +
			"32120a0b313244334b6f6f57426f621203426f623880d095ffbc31"},
	{"GroupFrameMessage", GroupFrame{Kind: GroupKindMessage, ID: "m1", GroupID: "00112233445566778899aabbccddeeff", Body: "hi all", SentAt: 1700000000000},
		"080212026d311a2030303131323233333434353536363737383839396161626263636464656566662206686920616c6c2880d095ffbc31"},
	{"GroupFrameState", GroupFrame{Kind: GroupKindState, ID: "s2", State: []byte{1, 2, 3}, Signature: []byte{4, 5}},
		"08011202733232030102033a020405"},
	{"GroupAck", GroupAck{ID: "m1"}, "0a026d31"},
	{"GroupAckRefused", GroupAck{ID: "m1", Refused: true}, "0a026d311001"},
}

func TestGroupFixtures(t *testing.T) { checkFixtures(t, groupFixtures) }

func TestGroupStateValidate(t *testing.T) {
	ok := fixtureGroupState
	if err := ok.Validate(); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	many := make([]GroupMember, MaxGroupMembers+1)
	for i := range many {
		many[i] = GroupMember{PeerID: fmt.Sprintf("peer-%d", i)}
	}
	cases := map[string]func(s *GroupState){
		"short ID":     func(s *GroupState) { s.ID = "abc" },
		"ID not hex":   func(s *GroupState) { s.ID = strings.Repeat("z", GroupIDLen) },
		"long name":    func(s *GroupState) { s.Name = strings.Repeat("n", MaxNameLen+1) },
		"no creator":   func(s *GroupState) { s.Creator = "" },
		"short nonce":  func(s *GroupState) { s.Nonce = []byte{1} },
		"version 0":    func(s *GroupState) { s.Version = 0 },
		"51 members":   func(s *GroupState) { s.Members = many },
		"twice":        func(s *GroupState) { s.Members = []GroupMember{{PeerID: "a"}, {PeerID: "a"}} },
		"empty member": func(s *GroupState) { s.Members = []GroupMember{{}} },
		"many addrs":   func(s *GroupState) { s.Members = []GroupMember{{PeerID: "a", Addrs: make([]string, MaxGroupAddrs+1)}} },
		"long addr": func(s *GroupState) {
			s.Members = []GroupMember{{PeerID: "a", Addrs: []string{strings.Repeat("a", MaxAddrLen+1)}}}
		},
		"long mem name": func(s *GroupState) { s.Members = []GroupMember{{PeerID: "a", Name: strings.Repeat("n", MaxNameLen+1)}} },
	}
	for name, change := range cases {
		s := ok
		change(&s)
		if err := s.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// 50 members is the limit, not above it.
	s := ok
	s.Members = many[:MaxGroupMembers]
	if err := s.Validate(); err != nil {
		t.Errorf("50 members: %v", err)
	}
	// A list far above the limit stops decoding early.
	s.Members = append(many, many...)
	var back GroupState
	if err := back.Unmarshal(s.Marshal()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("decoding 102 members: %v", err)
	}
}

func TestGroupFrameValidate(t *testing.T) {
	gid := fixtureGroupState.ID
	good := []GroupFrame{
		{Kind: GroupKindMessage, ID: "m", GroupID: gid, Body: "hi"},
		{Kind: GroupKindLeave, ID: "l", GroupID: gid},
		{Kind: GroupKindState, ID: "s", State: []byte{1}, Signature: []byte{2}},
	}
	for _, f := range good {
		if err := f.Validate(); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
	bad := []GroupFrame{
		{Kind: 9, ID: "x", GroupID: gid},
		{Kind: GroupKindMessage, GroupID: gid},
		{Kind: GroupKindMessage, ID: "m", GroupID: "short"},
		{Kind: GroupKindMessage, ID: "m", GroupID: gid, Body: strings.Repeat("b", MaxChatBody+1)},
		{Kind: GroupKindState, ID: "s", Signature: []byte{2}},
		{Kind: GroupKindState, ID: "s", State: make([]byte, MaxGroupState+1), Signature: []byte{2}},
		{Kind: GroupKindState, ID: "s", State: []byte{1}},
		{Kind: GroupKindState, ID: "s", State: []byte{1}, Signature: make([]byte, MaxSignature+1)},
	}
	for _, f := range bad {
		if err := f.Validate(); err == nil {
			t.Errorf("accepted %+v", f)
		}
	}
}

func FuzzGroupState(f *testing.F) {
	seedWith(f, groupFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[GroupState](t, b)
		var s GroupState
		if s.Unmarshal(b) == nil {
			s.Validate() // must not panic
		}
	})
}

func FuzzGroupFrame(f *testing.F) {
	seedWith(f, groupFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[GroupFrame](t, b)
		var g GroupFrame
		if g.Unmarshal(b) == nil {
			g.Validate()
		}
	})
}

func FuzzGroupAck(f *testing.F) {
	seedWith(f, groupFixtures)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[GroupAck](t, b) })
}
