// Package config reads Cohort's YAML configuration: ${ENV} expansion,
// unknown keys rejected with their line, defaults filled in, and validation
// errors that name the key and say what is wrong.
package config
