package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cohortbot/cohort/bot/analytics"
	"github.com/cohortbot/cohort/bot/faq"
	"github.com/cohortbot/cohort/bot/feedback"
	"github.com/cohortbot/cohort/bot/moderation"
	"github.com/cohortbot/cohort/bot/points"
	"github.com/cohortbot/cohort/bot/privacy"
	"github.com/cohortbot/cohort/bot/schedule"
	"github.com/cohortbot/cohort/bot/sentinel"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// Sections holds the feature sections as written. The top-level sections
// are the defaults of every community; a community's own sections override
// them key by key.
type Sections struct {
	Analytics  yaml.RawMessage `yaml:"analytics"`
	FAQ        yaml.RawMessage `yaml:"faq"`
	Schedule   yaml.RawMessage `yaml:"schedule"`
	Feedback   yaml.RawMessage `yaml:"feedback"`
	Moderation yaml.RawMessage `yaml:"moderation"`
	Points     yaml.RawMessage `yaml:"points"`
	Privacy    yaml.RawMessage `yaml:"privacy"`
	Sentinel   yaml.RawMessage `yaml:"sentinel"`
}

// Features are the decoded feature settings of one community.
type Features struct {
	Analytics  analytics.Config
	FAQ        faq.Config
	Schedule   schedule.Config
	Feedback   feedback.Config
	Moderation moderation.Config
	Points     points.Config
	Privacy    privacy.Config
	Sentinel   sentinel.Config
}

// section decodes one feature's layers onto its defaults and validates it.
type section struct {
	key      string
	layers   []yaml.RawMessage
	dst      any
	validate func() error
}

// resolveFeatures decodes the top-level sections and then own on top of
// them. prefix names where own comes from in errors ("communities[0].").
// With the parsed document, sections are decoded from its nodes, so errors
// give the line in the file.
func resolveFeatures(doc *ast.File, top, own Sections, prefix string) (Features, error) {
	f := Features{
		Analytics:  analytics.Defaults(),
		Schedule:   schedule.Defaults(),
		Feedback:   feedback.Defaults(),
		Moderation: moderation.Defaults(),
		Privacy:    privacy.Defaults(),
		Sentinel:   sentinel.Defaults(),
	}
	sections := []section{
		{"points", []yaml.RawMessage{top.Points, own.Points}, &f.Points, func() error { f.Points.Defaults(); return f.Points.Validate() }},
		{"analytics", []yaml.RawMessage{top.Analytics, own.Analytics}, &f.Analytics, func() error { return f.Analytics.Validate() }},
		{"faq", []yaml.RawMessage{top.FAQ, own.FAQ}, &f.FAQ, func() error { f.FAQ.Defaults(); return f.FAQ.Validate() }},
		{"schedule", []yaml.RawMessage{top.Schedule, own.Schedule}, &f.Schedule, func() error { return f.Schedule.Validate() }},
		{"feedback", []yaml.RawMessage{top.Feedback, own.Feedback}, &f.Feedback, func() error { return f.Feedback.Validate() }},
		{"moderation", []yaml.RawMessage{top.Moderation, own.Moderation}, &f.Moderation, func() error { return f.Moderation.Validate() }},
		{"sentinel", []yaml.RawMessage{top.Sentinel, own.Sentinel}, &f.Sentinel, func() error { return f.Sentinel.Validate() }},
		{"privacy", []yaml.RawMessage{top.Privacy, own.Privacy}, &f.Privacy, func() error { return f.Privacy.Validate() }},
	}
	for _, s := range sections {
		for i, raw := range s.layers {
			if len(raw) == 0 {
				continue
			}
			where := s.key
			if i == 1 {
				where = prefix + s.key
			}
			if err := decodeSection(doc, where, raw, s.dst); err != nil {
				return f, fmt.Errorf("%s: %s", where, yaml.FormatError(err, false, false))
			}
		}
	}
	// Validate after all layers, so errors see the merged values.
	if t := f.Moderation.Links.MinTier; t != "" && !hasTier(f.Points, t) {
		return f, fmt.Errorf("%smoderation.links.min_tier: %q is not a tier of the points ladder", prefix, t)
	}
	for _, s := range sections {
		if err := s.validate(); err != nil {
			return f, errors.New(prefix + err.Error())
		}
	}
	return f, nil
}

// decodeSection decodes one section onto dst, rejecting unknown keys: from
// the document's node at key when the document is known (so errors carry
// the file's line numbers), else from the section's own text.
func decodeSection(doc *ast.File, key string, raw yaml.RawMessage, dst any) error {
	if doc != nil {
		if p, err := yaml.PathString("$." + key); err == nil {
			if node, err := p.FilterFile(doc); err == nil && node != nil {
				return yaml.NodeToValue(node, dst, yaml.DisallowUnknownField())
			}
		}
	}
	return yaml.UnmarshalWithOptions(raw, dst, yaml.DisallowUnknownField())
}

// hasTier reports whether the points ladder has a tier of that name.
func hasTier(p points.Config, name string) bool {
	p.Defaults()
	for _, t := range p.Tiers {
		if strings.EqualFold(t.Name, name) {
			return true
		}
	}
	return false
}
