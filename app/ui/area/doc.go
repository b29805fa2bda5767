// Package area declares what the UI needs from the running messenger, one
// interface per area of the app: Contacts, Chat, Files, Groups, Calls,
// Archive and Me (ui.Backend bundles them). The views in app/ui and its
// subpackages each take only the area, or the narrower interface within
// an area, they call, so view tests run on small fakes.
package area
