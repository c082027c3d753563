// Package storetest opens real bbolt stores on temporary files for tests.
package storetest
