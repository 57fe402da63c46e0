package tui

import (
	"image/color"
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// randomStarts are the screens and states the random-key test starts from.
var randomStarts = []struct {
	name string
	keys []string
}{
	{"home", nil},
	{"notes_list", []string{"n"}},
	{"notes_reader", []string{"n", "enter"}},
	{"quiz", []string{"u"}},
	{"exam", []string{"e", "h", "h", "enter"}},
	{"exam_results", []string{"e", "h", "h", "enter", "S", "y"}},
	{"review", []string{"r"}},
	{"progress", []string{"p"}},
	{"sandbox", []string{"s"}},
	{"sandbox_scenario", openKeys("instance-role-removed")},
	{"sandbox_editor", append(openKeys("assume-role-same-account"), "2", "j", "j", "e")},
	{"sandbox_console", append(openKeys("mfa-get-session-token"), "4")},
}

// openKeys are the keys that open a scenario from home: the sandbox, a
// filter for its id, enter twice.
func openKeys(id string) []string {
	keys := []string{"s", "/"}
	for _, r := range id {
		keys = append(keys, string(r))
	}
	return append(keys, "enter", "enter")
}

var randomKeys = func() []string {
	keys := []string{"enter", "esc", "tab", "shift+tab", "space", "up", "down", "left", "right", "pgup", "pgdown",
		"home", "end", "backspace", "ctrl+d", "ctrl+u", "?", "/", "ctrl+c", "ctrl+z",
		"ctrl+y", "ctrl+s", "ctrl+k", "ctrl+o", "ctrl+t", "ctrl+l", "ctrl+home", "ctrl+end", "delete", "alt+left", "alt+right",
		":", "+", "{", "}", "[", "]", `"`, ","}
	for r := 'a'; r <= 'z'; r++ {
		keys = append(keys, string(r), string(r-'a'+'A'))
	}
	for r := '0'; r <= '9'; r++ {
		keys = append(keys, string(r))
	}
	return keys
}()

var randomSizes = [][2]int{{80, 24}, {120, 40}, {100, 30}, {60, 20}, {200, 60}, {80, 23}}

// TestRandomKeys sends 10,000 random keys, with some mouse, resize, timer
// and background messages, to each screen: the app must never panic and
// must always draw a screen of the terminal's exact size.
func TestRandomKeys(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 1000
	}
	md := common.NewMarkdown() // shared, so each note is rendered once per width
	for i, start := range randomStarts {
		t.Run(start.name, func(t *testing.T) {
			t.Parallel()
			seed := uint64(i + 1)
			rng := rand.New(rand.NewPCG(seed, 42))
			hs := newHarness(t, 80, 24)
			hs.app.sh.MD = md
			hs.seed(t)
			hs.press(start.keys...)
			for step := range n {
				msg := randomMsg(rng, hs)
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("seed %d step %d: %T %v panicked: %v", seed, step, msg, msg, r)
						}
					}()
					hs.send(msg)
					if step%10 == 0 {
						hs.checkShape()
					} else if v := hs.app.View(); v.Content == "" {
						t.Fatalf("seed %d step %d: empty view", seed, step)
					}
				}()
				if hs.app.confirmQuit && rng.IntN(2) == 0 {
					hs.press("n")
				}
			}
		})
	}
}

// jsonBits are what random typing into the policy editor is made of.
var jsonBits = []string{`{`, `}`, `[`, `]`, `"`, `:`, `,`, " ", "enter", "backspace", `"Effect"`, `"Allow"`, `"Deny"`,
	`"Action"`, `"s3:GetObject"`, `"Resource"`, `"*"`, `"Principal"`, `"Condition"`, `"Statement"`, "true", "1"}

func randomMsg(rng *rand.Rand, hs *harness) tea.Msg {
	sb := hs.app.sandbox
	if sb.Editing() && rng.IntN(3) > 0 {
		// Random typing into the editor: JSON's pieces, valid or not.
		bit := jsonBits[rng.IntN(len(jsonBits))]
		if len(bit) > 1 && bit != "enter" && bit != "backspace" {
			return tea.PasteMsg{Content: bit}
		}
		return keyMsg(bit)
	}
	if sb.OpenID() != "" && rng.IntN(50) == 0 {
		return tea.PasteMsg{Content: "aws sts get-caller-identity\n"}
	}
	switch p := rng.IntN(1000); {
	case p < 900:
		return keyMsg(randomKeys[rng.IntN(len(randomKeys))])
	case p < 940:
		return tea.MouseClickMsg{X: rng.IntN(hs.w), Y: rng.IntN(hs.h), Button: tea.MouseLeft}
	case p < 970:
		b := tea.MouseWheelDown
		if rng.IntN(2) == 0 {
			b = tea.MouseWheelUp
		}
		return tea.MouseWheelMsg{X: rng.IntN(hs.w), Y: rng.IntN(hs.h), Button: b}
	case p < 982:
		s := randomSizes[rng.IntN(len(randomSizes))]
		hs.w, hs.h = s[0], s[1]
		return tea.WindowSizeMsg{Width: s[0], Height: s[1]}
	case p < 995:
		hs.clock.advance(time.Duration(rng.IntN(180)) * time.Second)
		return examTickMsg{gen: hs.app.exam.gen}
	default:
		if rng.IntN(2) == 0 {
			return tea.BackgroundColorMsg{Color: color.White}
		}
		return tea.BackgroundColorMsg{Color: color.Black}
	}
}

func TestRandomKeysReproducible(t *testing.T) {
	// The same seed gives the same screen: the app has no hidden clock or
	// randomness outside Deps.
	screens := make([]string, 2)
	for i := range screens {
		rng := rand.New(rand.NewPCG(7, 42))
		hs := newHarness(t, 80, 24)
		for range 300 {
			hs.send(randomMsg(rng, hs))
		}
		screens[i] = hs.screen()
	}
	if screens[0] != screens[1] {
		t.Errorf("two runs with one seed differ:\n%s\n---\n%s", screens[0], screens[1])
	}
}
