// Package sandbox is the tui's scenario sandbox: the list of scenarios and
// an open scenario with its story, its policies (editable, with every step
// run again on each keystroke), its steps and their explanations, its
// challenge and an STS console.
//
// Start with Screen (screen.go): the app drives it through Update, View,
// SetSize and Keys, opens a scenario with Open, and asks Unsaved,
// SaveUnsaved and Flush before quitting.
package sandbox
