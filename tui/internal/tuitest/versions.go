package tuitest

import (
	"encoding/json"
	"fmt"
)

// VersionTexts is the texts of a policy's versions in the state saved for
// a scenario, oldest first: what a test of saving versions checks.
func (m *Sandboxes) VersionTexts(id, addr string) ([]string, error) {
	state, _, _ := m.LoadSandbox(id)
	var st struct {
		Versions map[string][]struct{ Text string }
	}
	if err := json.Unmarshal(state, &st); err != nil {
		return nil, fmt.Errorf("the state saved for %s: %w", id, err)
	}
	var out []string
	for _, v := range st.Versions[addr] {
		out = append(out, v.Text)
	}
	return out, nil
}
