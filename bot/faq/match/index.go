package match

import (
	"math"
	"sort"
)

// Doc is one entry to index: its id and the phrasings that ask for it (the
// question and its variants). Tags count as one more phrasing.
type Doc struct {
	ID        string
	Phrasings []string
	Tags      []string
	// Body is the answer. Its words that some entry is asked with count
	// for a little, which helps when a query uses the answer's vocabulary
	// ("withdraw" in an answer about payouts) rather than the question's.
	Body string
}

// Result is a scored entry.
type Result struct {
	ID    string
	Score float64
	doc   int // position in the index, to break ties in document order
}

// Index answers queries over a fixed set of documents. It is immutable and
// safe for concurrent use; build a new one when entries change.
type Index struct {
	docs  []indexedDoc
	idf   map[string]float64
	words []string // known words, for typo correction
	// postings lists, for each feature, the phrasings and unions that hold it.
	postings map[string][]posting
	// totals are the weight totals of every phrasing, documents in order.
	totals []float64
	// unknownWeight is the weight of a query feature no document has.
	unknownWeight [4]float64
}

type indexedDoc struct {
	id        string
	first     int // index of the doc's first phrasing in Index.totals
	phrasings []termSet
	union     termSet // every phrasing, tag and (with less weight) the body
}

// posting says that a phrasing (or, with phrasing -1, a document's union)
// holds a feature with a weight.
type posting struct {
	doc, phrasing int
	weight        float64
}

// termSet is a set of features with their weights, and the weight total.
type termSet struct {
	terms map[string]float64
	total float64
}

// Weights of feature kinds relative to their IDF.
var kindWeight = [...]float64{kindWord: 1, kindBigram: 1, kindUnigram: 0.6, kindQuestion: 0.3}

// New indexes docs.
func New(docs []Doc) *Index {
	ix := &Index{idf: map[string]float64{}, postings: map[string][]posting{}}
	df := map[string]int{}
	raw := make([][][]feature, len(docs))
	bodies := make([][]feature, len(docs))
	for i, d := range docs {
		seen := map[string]bool{}
		bodies[i] = features(d.Body)
		phrasings := append([]string(nil), d.Phrasings...)
		if len(d.Tags) > 0 {
			tags := ""
			for _, t := range d.Tags {
				tags += t + " "
			}
			phrasings = append(phrasings, tags)
		}
		for _, p := range phrasings {
			fs := features(p)
			if len(fs) == 0 {
				continue
			}
			raw[i] = append(raw[i], fs)
			for _, f := range fs {
				if !seen[f.text] {
					seen[f.text] = true
					df[f.text]++
				}
			}
		}
	}
	n := float64(len(docs))
	maxIDF := 0.0
	for t, c := range df {
		v := math.Log(1 + n/float64(c))
		ix.idf[t] = v
		maxIDF = math.Max(maxIDF, v)
		if isASCIILetters(t) && len(t) >= 3 {
			ix.words = append(ix.words, t)
		}
	}
	sort.Strings(ix.words)
	// A feature no document has is as rare as it gets: it weighs like the
	// rarest known one, so off-topic words pull the score down.
	for k := range ix.unknownWeight {
		ix.unknownWeight[k] = math.Max(maxIDF, 1) * kindWeight[k] * unknownFactor[k]
	}
	for i, d := range docs {
		id := indexedDoc{id: d.ID, first: len(ix.totals)}
		var all []feature
		for _, fs := range raw[i] {
			id.phrasings = append(id.phrasings, ix.termSet(fs))
			all = append(all, fs...)
		}
		id.union = ix.termSet(all)
		for _, f := range bodies[i] {
			if _, ok := id.union.terms[f.text]; !ok {
				if idf, known := ix.idf[f.text]; known {
					id.union.terms[f.text] = idf * kindWeight[f.kind] * bodyWeight
				}
			}
		}
		for j, p := range id.phrasings {
			ix.totals = append(ix.totals, p.total)
			for t, w := range p.terms {
				ix.postings[t] = append(ix.postings[t], posting{doc: i, phrasing: j, weight: w})
			}
		}
		for t, w := range id.union.terms {
			ix.postings[t] = append(ix.postings[t], posting{doc: i, phrasing: -1, weight: w})
		}
		ix.docs = append(ix.docs, id)
	}
	return ix
}

// unknownFactor softens unknown Han features: stray bigrams across word
// boundaries ("想投") are common and mean little.
var unknownFactor = [...]float64{kindWord: 0.6, kindBigram: 0.36, kindUnigram: 0.36, kindQuestion: 0}

func (ix *Index) termSet(fs []feature) termSet {
	ts := termSet{terms: make(map[string]float64, len(fs))}
	for _, f := range fs {
		if _, dup := ts.terms[f.text]; dup {
			continue
		}
		w := ix.idf[f.text] * kindWeight[f.kind]
		ts.terms[f.text] = w
		ts.total += w
	}
	return ts
}

// queryTerm is a query feature with its weight and the indexed feature it
// stands for (itself, or the known word a typo is close to).
type queryTerm struct {
	text   string
	weight float64
	credit float64 // share of the weight earned on a match: 1, or less for typos
}

// Len is the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

// Search returns up to n documents by falling score, leaving out those with
// no feature in common with the query. Only documents that share a feature
// with the query are looked at.
func (ix *Index) Search(query string, n int) []Result {
	terms := ix.queryTerms(features(query))
	if len(terms) == 0 {
		return nil
	}
	qTotal := 0.0
	for _, t := range terms {
		qTotal += t.weight
	}
	// Per phrasing: matched query weight and matched phrasing weight; per
	// document: matched union weight.
	accQ := make([]float64, len(ix.totals))
	accP := make([]float64, len(ix.totals))
	union := make([]float64, len(ix.docs))
	var touched []int
	for _, t := range terms {
		for _, p := range ix.postings[t.text] {
			if p.phrasing < 0 {
				if union[p.doc] == 0 {
					touched = append(touched, p.doc)
				}
				union[p.doc] += math.Min(t.weight, p.weight) * t.credit
				continue
			}
			k := ix.docs[p.doc].first + p.phrasing
			accQ[k] += t.weight * t.credit
			accP[k] += p.weight * t.credit
		}
	}
	out := make([]Result, 0, len(touched))
	for _, doc := range touched {
		d := ix.docs[doc]
		best := 0.0
		for k := d.first; k < d.first+len(d.phrasings); k++ {
			best = math.Max(best, phrasingScore(accQ[k]/qTotal, accP[k], ix.totals[k]))
		}
		score := (1-unionShare)*best + unionShare*union[doc]/qTotal
		if score > 0 {
			out = append(out, Result{ID: d.id, Score: score, doc: doc})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].doc < out[j].doc
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// phrasingScore blends how much of the query the phrasing covers (weighted
// more) with how much of the phrasing the query covers.
func phrasingScore(covQ, matchedP, total float64) float64 {
	if total == 0 || covQ == 0 {
		return 0
	}
	covP := math.Min(matchedP/total, 1)
	return math.Pow(covQ, queryShare) * math.Pow(covP, 1-queryShare)
}

// Scoring weights, tuned on the evaluation set in bot/faq/testdata.
const (
	// queryShare is the exponent of query coverage in a phrasing's score.
	queryShare = 0.7
	// unionShare is the part of the score that comes from the query's
	// coverage by the whole entry (all phrasings, tags and the body).
	unionShare = 0.2
	// bodyWeight scales the weight of words found only in the body.
	bodyWeight = 0.5
)

// queryTerms weighs query features, correcting unknown words to a known
// word within a small edit distance.
func (ix *Index) queryTerms(fs []feature) []queryTerm {
	seen := map[string]bool{}
	var out []queryTerm
	for _, f := range fs {
		if seen[f.text] {
			continue
		}
		seen[f.text] = true
		if idf, ok := ix.idf[f.text]; ok {
			out = append(out, queryTerm{text: f.text, weight: idf * kindWeight[f.kind], credit: 1})
			continue
		}
		if f.kind == kindWord {
			if w, ok := ix.correct(f.text); ok && !seen[w] {
				seen[w] = true
				out = append(out, queryTerm{text: w, weight: ix.idf[w], credit: typoCredit})
				continue
			}
		}
		out = append(out, queryTerm{text: f.text, weight: ix.unknownWeight[f.kind]})
	}
	return out
}

// typoCredit is the share of a word's weight a typo earns.
const typoCredit = 0.8

// correct finds the known word closest to w: one edit for words of five to
// seven letters, two for longer ones. Shorter words are left alone: one
// edit turns too many of them into other words ("play" and "pay").
func (ix *Index) correct(w string) (string, bool) {
	if len(w) < 5 || !isASCIILetters(w) {
		return "", false
	}
	limit := 1
	if len(w) >= 8 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, cand := range ix.words {
		if abs(len(cand)-len(w)) > limit {
			continue
		}
		if d := distance(w, cand, limit); d < bestD {
			best, bestD = cand, d
		}
	}
	return best, best != ""
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
