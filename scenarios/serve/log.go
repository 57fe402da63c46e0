package serve

import (
	"encoding/json"
	"strings"
	"time"
)

// LogLine is an event as one line of text: principal, action, resource
// and decision; with explain, the reason beside a denial.
func LogLine(ev Event, explain bool) string {
	var b strings.Builder
	b.WriteString(ev.Time.Format("15:04:05"))
	b.WriteString(" " + ev.Service + ":" + ev.Operation)
	who := ev.Principal
	if who == "" {
		who = "-"
	}
	b.WriteString(" " + who)
	if ev.Action != "" {
		b.WriteString(" " + ev.Action + " " + ev.Resource)
	}
	decision := ev.Decision
	if ev.Soft {
		decision += " (soft: allowed)"
	}
	b.WriteString(" -> " + decision)
	if ev.Code != "" && ev.Code != ev.Decision {
		b.WriteString(" " + ev.Code)
	}
	denied := ev.Code != "" || ev.Soft
	if (explain || ev.Soft) && denied && ev.Reason != "" {
		b.WriteString(": " + ev.Reason)
		if ev.Step != "" {
			b.WriteString(" [" + ev.Step + "]")
		}
	}
	return b.String()
}

// LogJSON is an event as one JSON line.
func LogJSON(ev Event) []byte {
	b, _ := json.Marshal(struct {
		Time      string `json:"time"`
		Seq       int64  `json:"seq"`
		Service   string `json:"service"`
		Operation string `json:"operation"`
		Principal string `json:"principal,omitempty"`
		Action    string `json:"action,omitempty"`
		Resource  string `json:"resource,omitempty"`
		Decision  string `json:"decision"`
		Soft      bool   `json:"soft,omitempty"`
		Status    int    `json:"status"`
		Code      string `json:"code,omitempty"`
		Message   string `json:"message,omitempty"`
		Reason    string `json:"reason,omitempty"`
		Step      string `json:"step,omitempty"`
	}{ev.Time.UTC().Format(time.RFC3339Nano), ev.Seq, ev.Service, ev.Operation, ev.Principal, ev.Action, ev.Resource, ev.Decision, ev.Soft,
		ev.Status, ev.Code, ev.Message, ev.Reason, ev.Step})
	return b
}
