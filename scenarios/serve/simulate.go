package serve

import (
	"iamlab/engine/estate"
)

// simulated reports the IAM policy simulator operations, which the
// engine answers directly.
func simulated(w *wireRequest) bool {
	return w.service == "iam" && (w.op == "SimulateCustomPolicy" || w.op == "SimulatePrincipalPolicy")
}

func (s *Server) simulate(ev *Event, w *wireRequest, caller estate.Caller, id *estate.Identity, reqID string) *response {
	return errorResponse(w, 400, "InvalidAction", "not yet", reqID)
}
