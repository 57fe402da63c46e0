package estate

import (
	"net/netip"
	"strings"
)

// A caller bound to a VPC (issue 11, piece 1). In AWS the network, not
// the caller, decides whether a call goes through a VPC endpoint: from an
// instance in a VPC, a call to S3 or DynamoDB follows the route a gateway
// endpoint adds to the VPC's route tables, and a call to another service
// resolves to an interface endpoint's addresses when the endpoint has
// private DNS on. iamlab associates a gateway endpoint with every route
// table of its VPC.
// https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
// https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html

// Endpoint types.
const (
	EndpointGateway   = "Gateway"
	EndpointInterface = "Interface"
)

func (ep *VPCEndpoint) endpointType() string {
	if ep.Type != "" {
		return ep.Type
	}
	if s := strings.ToLower(ep.Service); s == "s3" || s == "dynamodb" {
		return EndpointGateway
	}
	return EndpointInterface
}

// routes reports whether calls from the endpoint's VPC to its service go
// through it without being sent there explicitly.
func (ep *VPCEndpoint) routes() bool {
	return ep.endpointType() == EndpointGateway || ep.PrivateDNS
}

// routeFromInstance sends a call made from an instance in a VPC through
// the endpoint of that VPC that serves the action's service, unless the
// call already names one (--via).
func (e *Estate) routeFromInstance(id *Identity, c *Call, action string) {
	if c.VPCEndpoint != "" || id.Instance == "" {
		return
	}
	_, inst := e.instance(id.Instance)
	if inst == nil || inst.VPC == "" {
		return
	}
	if epID := e.routedEndpoint(inst.VPC, action); epID != "" {
		c.VPCEndpoint = epID
		if c.VPCSourceIP == "" {
			c.VPCSourceIP = inst.PrivateIP // none: endpointFor's default
		}
	}
}

// routedEndpoint is the ID of the endpoint of vpc that calls to action's
// service take, "" for none; with two, the first by ID.
func (e *Estate) routedEndpoint(vpc, action string) string {
	service, _, _ := strings.Cut(action, ":")
	for _, acct := range e.accountIDs() {
		a := e.Accounts[acct]
		if a == nil {
			continue
		}
		for _, id := range sortedKeys(a.VPCEndpoints) {
			ep := a.VPCEndpoints[id]
			if ep != nil && ep.VPC == vpc && strings.EqualFold(ep.Service, service) && ep.routes() {
				return id
			}
		}
	}
	return ""
}

// instanceNetworks checks the instances' VPCs and addresses, and the
// endpoints' types.
func (v *validator) instanceNetworks(path string, a *Account) {
	for _, iid := range sortedKeys(a.Instances) {
		in := a.Instances[iid]
		if in == nil {
			continue
		}
		ip := key(path+".instances", iid)
		if in.VPC != "" && !strings.HasPrefix(in.VPC, "vpc-") {
			v.failf(ip+".vpc", "must be a VPC ID, such as vpc-0aa11bb2")
		}
		if in.PrivateIP != "" {
			if in.VPC == "" {
				v.failf(ip+".privateIp", "an instance has a private address only in a VPC: give vpc too")
			} else if addr, err := netip.ParseAddr(in.PrivateIP); err != nil || !addr.IsPrivate() {
				v.failf(ip+".privateIp", "must be a private IPv4 address, such as 10.0.1.25")
			}
		}
	}
	for _, id := range sortedKeys(a.VPCEndpoints) {
		ep := a.VPCEndpoints[id]
		if ep == nil {
			continue
		}
		p := key(path+".vpcEndpoints", id)
		switch ep.Type {
		case "", EndpointInterface:
		case EndpointGateway:
			if s := strings.ToLower(ep.Service); s != "s3" && s != "dynamodb" {
				v.failf(p+".type", "only s3 and dynamodb have gateway endpoints")
			}
		default:
			v.failf(p+".type", "must be Gateway or Interface, not %q", ep.Type)
		}
		if ep.PrivateDNS && ep.endpointType() == EndpointGateway {
			v.failf(p+".privateDns", "private DNS is a setting of interface endpoints")
		}
	}
}
