// Package reachlab is the network lab of issue 11 ("Reach"): its tests
// build homes behind NAT routers, an internet segment and a public libp2p
// node out of network namespaces (app/reachlab/netlab), run real Hearth
// messengers (app/core) inside them as child processes of the test
// binary, and check that two homes pair, chat both ways, deliver a message
// sent while one was offline, send a file, and find each other again after
// a renumber. The package has no code of its own outside its tests.
package reachlab
