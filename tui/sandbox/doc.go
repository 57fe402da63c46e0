// Package sandbox is the tui's scenario sandbox: the list of scenarios and
// an open scenario with its story, its policies (editable, with every step
// run again on each keystroke), its steps and their explanations, its
// challenge and an STS console; S serves the scenario's estate as a local
// AWS endpoint for the learner's own AWS CLI, and the Live pane lists and
// explains each request it answers.
//
// Start with Screen (screen.go): the app drives it through Update, View,
// SetSize and Keys, opens a scenario with Open, and asks Unsaved,
// SaveUnsaved and Flush before quitting, and Close as it ends.
// Screen.mode (keys.go) decides who has the keyboard; each pane of an open
// scenario is a component in its own file (pane.go lists them: story.go,
// policies.go with the editor in editing.go, steps.go, consolepane.go,
// challenge.go, live.go) with its own keys, scrolling and view, and Screen
// routes keys and draws them. serving.go starts and stops the endpoint
// (scenarios/serve) and carries its requests to the Live pane.
package sandbox
