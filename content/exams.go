package content

import "sort"

// Exam is the shape of a real AWS certification exam, from its exam guide.
type Exam struct {
	Code     string
	Name     string
	Minutes  int
	Count    int // questions, scored and unscored
	PassMark int // scaled score out of 1000
	Domains  []Domain
}

// Domain is one content domain of an exam and its share of the questions.
type Domain struct {
	Name    string
	Percent int
}

// Exams are the exams whose questions the bank carries.
var exams = []Exam{
	{Code: "DVA-C02", Name: "AWS Certified Developer – Associate", Minutes: 130, Count: 65, PassMark: 720, Domains: []Domain{
		{"Development with AWS Services", 32}, {"Security", 26}, {"Deployment", 24}, {"Troubleshooting and Optimization", 18}}},
	{Code: "SAA-C03", Name: "AWS Certified Solutions Architect – Associate", Minutes: 130, Count: 65, PassMark: 720, Domains: []Domain{
		{"Design Secure Architectures", 30}, {"Design Resilient Architectures", 26}, {"Design High-Performing Architectures", 24}, {"Design Cost-Optimized Architectures", 20}}},
	{Code: "SCS-C03", Name: "AWS Certified Security – Specialty", Minutes: 170, Count: 65, PassMark: 750, Domains: []Domain{
		{"Detection", 16}, {"Incident Response", 14}, {"Infrastructure Security", 18}, {"Identity and Access Management", 20},
		{"Data Protection", 18}, {"Security Foundations and Governance", 14}}},
}

// Exams returns the exams in a fixed order.
func Exams() []Exam {
	return append([]Exam(nil), exams...)
}

// ExamByCode finds an exam by its code, such as "DVA-C02".
func ExamByCode(code string) (Exam, bool) {
	for _, e := range exams {
		if e.Code == code {
			return e, true
		}
	}
	return Exam{}, false
}

func (e Exam) hasDomain(name string) bool {
	for _, d := range e.Domains {
		if d.Name == name {
			return true
		}
	}
	return false
}

func (e Exam) domainNames() []string {
	out := make([]string, len(e.Domains))
	for i, d := range e.Domains {
		out[i] = d.Name
	}
	return out
}

func examCodes() []string {
	out := make([]string, len(exams))
	for i, e := range exams {
		out[i] = e.Code
	}
	sort.Strings(out)
	return out
}
