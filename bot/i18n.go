package bot

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the catalogs are complete for.
var Languages = []string{"en", "zh-CN"}

// Catalog holds the translated messages of the core and every module.
// Message files are YAML maps from key to text (or to plural forms one/other),
// named after their language: en.yaml, zh-CN.yaml. Texts are Go templates
// over Args and are written in the neutral markup.
type Catalog struct {
	bundle      *i18n.Bundle
	defaultLang string

	mu         sync.Mutex
	localizers map[string]*i18n.Localizer
}

// NewCatalog returns an empty catalog that falls back to defaultLang.
func NewCatalog(defaultLang string) *Catalog {
	if NormalizeLang(defaultLang) == "" {
		defaultLang = "en"
	}
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	return &Catalog{bundle: b, defaultLang: NormalizeLang(defaultLang), localizers: map[string]*i18n.Localizer{}}
}

// Load adds every *.yaml message file at the root of fsys.
func (c *Catalog) Load(fsys fs.FS) error {
	files, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return err
	}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if _, err := c.bundle.ParseMessageFileBytes(data, path.Base(name)); err != nil {
			return fmt.Errorf("message file %s: %w", name, err)
		}
	}
	return nil
}

// T translates key into lang (falling back to the default language, then
// English). String values in data are escaped for the neutral markup; a
// value named "count" picks the plural form.
func (c *Catalog) T(lang, key string, data Args) string {
	lc := &i18n.LocalizeConfig{MessageID: key, TemplateData: escapeArgs(data)}
	if n, ok := data["count"]; ok {
		lc.PluralCount = n
	}
	out, err := c.localizer(lang).Localize(lc)
	if err != nil && out == "" {
		return "[" + key + "]"
	}
	return out
}

func (c *Catalog) localizer(lang string) *i18n.Localizer {
	lang = NormalizeLang(lang)
	if lang == "" {
		lang = c.defaultLang
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.localizers[lang]
	if !ok {
		l = i18n.NewLocalizer(c.bundle, lang, c.defaultLang, "en")
		c.localizers[lang] = l
	}
	return l
}

func escapeArgs(data Args) map[string]any {
	if data == nil {
		return nil
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		switch v := v.(type) {
		case Raw:
			out[k] = string(v)
		case string:
			out[k] = Escape(v)
		case fmt.Stringer:
			out[k] = Escape(v.String())
		default:
			out[k] = v
		}
	}
	return out
}

// NormalizeLang maps a platform or locale language code onto a catalog
// language: "zh_CN.UTF-8", "zh-hans", "zh-TW" → "zh-CN"; "en-US" → "en".
// Unknown languages give "".
func NormalizeLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s, _, _ = strings.Cut(s, ".")
	switch {
	case s == "":
		return ""
	case strings.HasPrefix(s, "zh"):
		return "zh-CN"
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") || s == "c" || s == "posix":
		return "en"
	}
	return ""
}

// CheckCatalog verifies that every language in Languages has a message file
// in fsys with exactly the same keys. Modules call it from a test.
func CheckCatalog(fsys fs.FS) error {
	var ref map[string]any
	var refLang string
	for _, lang := range Languages {
		data, err := fs.ReadFile(fsys, lang+".yaml")
		if err != nil {
			return fmt.Errorf("catalog for %s: %w", lang, err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("catalog %s.yaml: %w", lang, err)
		}
		if ref == nil {
			ref, refLang = m, lang
			continue
		}
		for k := range ref {
			if _, ok := m[k]; !ok {
				return fmt.Errorf("catalog %s.yaml lacks %q (present in %s.yaml)", lang, k, refLang)
			}
		}
		for k := range m {
			if _, ok := ref[k]; !ok {
				return fmt.Errorf("catalog %s.yaml has %q, missing from %s.yaml", lang, k, refLang)
			}
		}
	}
	return nil
}
