package match

import "strings"

// stopWords are English words that carry no topic: question words,
// pronouns, auxiliaries, prepositions and chat filler.
var stopWords = set(
	"a", "an", "the", "i", "im", "me", "my", "mine", "we", "us", "our", "you", "your", "he", "she", "it", "its", "they", "them", "their",
	"is", "are", "am", "was", "were", "be", "been", "being", "do", "does", "did", "done", "doing", "can", "could", "should", "would",
	"will", "shall", "may", "might", "must", "have", "has", "had", "to", "of", "in", "on", "at", "for", "with", "by", "from", "about",
	"as", "into", "onto", "and", "or", "but", "if", "so", "than", "then", "that", "this", "these", "those", "there", "here",
	"what", "whats", "how", "hows", "when", "why", "where", "who", "whom", "which", "whose",
	"please", "pls", "plz", "any", "anyone", "anybody", "someone", "somebody", "hi", "hello", "hey", "guys", "thanks", "thank", "thx",
	"just", "also", "still", "really", "very", "some", "s", "t", "d", "ll", "ve", "re", "don", "doesn", "didn", "isn", "aren",
	"get", "got", "know", "want", "wanna", "need", "tell", "let", "like", "there", "anything", "something", "way", "much", "many",
	"kind", "sort", "ok", "okay", "yes", "no", "not", "all", "one", "out", "up", "again", "now", "yet", "ever", "exactly", "actually", "possible",
)

// questionWords and hanQuestionWords map question words onto their kind.
// They are kept as light features: "how do I invest" and "who can invest"
// share every content word, but not the question.
var questionWords = map[string]string{
	"how": "?how", "who": "?who", "when": "?when", "where": "?where", "why": "?why", "which": "?which",
}

var hanQuestionWords = map[string]string{
	"怎么": "?how", "怎样": "?how", "如何": "?how", "谁": "?who", "为什么": "?why", "为啥": "?why",
	"哪里": "?where", "哪儿": "?where", "哪些": "?which", "哪个": "?which",
}

// maxHanStop is the length of the longest Chinese stop word.
const maxHanStop = 4

// hanStopWords are Chinese question and function words of two or more
// characters; they are cut out before bigrams are formed.
var hanStopWords = set(
	"请问", "想问", "问一下", "问下", "怎么", "怎样", "怎么样", "如何", "什么", "为什么", "为啥", "哪里", "哪儿", "哪些", "哪个",
	"是不是", "是否", "可以", "可不可以", "能不能", "能否", "有没有", "一下", "我们", "你们", "他们", "咱们", "大家", "这个", "那个",
	"这些", "那些", "现在", "知道", "的话", "还是", "但是", "就是", "然后", "因为", "所以", "如果", "一个", "多少", "需要", "应该",
	"我想", "想要", "具体", "您好", "你好", "谢谢", "麻烦", "告诉", "一些", "有人", "个人",
)

// hanStopChars are single characters that are almost always particles or
// pronouns. Characters that also start common content words (有, 会, 能,
// 要, 还, 请) are not listed.
var hanStopChars = map[rune]bool{
	'的': true, '了': true, '吗': true, '呢': true, '吧': true, '啊': true, '呀': true, '嘛': true, '么': true, '哦': true,
	'我': true, '你': true, '您': true, '他': true, '她': true, '它': true, '是': true, '在': true, '和': true, '与': true,
	'也': true, '都': true, '就': true, '这': true, '那': true, '哪': true, '啥': true, '谁': true, '呗': true,
}

// hanWeakChars are auxiliaries and measure words that mean nothing when
// they stand alone between stop words (要, 能, 会, ...), but start content
// words elsewhere (需要, 能源, 会员), so they are dropped only when alone.
var hanWeakChars = map[rune]bool{
	'要': true, '能': true, '会': true, '想': true, '有': true, '还': true, '请': true, '给': true, '对': true,
	'一': true, '个': true, '把': true, '被': true, '让': true, '得': true, '着': true, '过': true, '去': true, '来': true,
}

// hanSame maps Chinese phrasings of the same question word onto one form.
var hanSame = strings.NewReplacer("多长时间", "多久", "多少时间", "多久", "多长", "多久")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
