// Package sandbox is the tui's scenario sandbox: the list of scenarios and
// an open scenario with its story, its policies (editable, with every step
// run again on each keystroke), its steps and their explanations, its
// challenge and an STS console.
//
// Start with Screen (screen.go): the app drives it through Update, View,
// SetSize and Keys, opens a scenario with Open, and asks Unsaved,
// SaveUnsaved and Flush before quitting. Screen.mode (keys.go) decides who
// has the keyboard; each pane of an open scenario is a component in its
// own file (pane.go lists them: story.go, policies.go with the editor in
// editing.go, steps.go, consolepane.go, challenge.go) with its own keys,
// scrolling and view, and Screen routes keys and draws them.
package sandbox
