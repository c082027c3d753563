package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun_BadFlagsAndOptionsAreRefused(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"members writing twice a second", []string{"-bin", "/nonexistent/cohort", "-groups", "1", "-channels", "0", "-members", "10", "-rate", "50"}, 1, "more than once a second"},
		{"more /points than the group limit", []string{"-bin", "/nonexistent/cohort", "-points", "30"}, 1, "exceed the group limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append(tt.args, "-dir", t.TempDir()), &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tt.code, tt.want)
			}
		})
	}
}
