package e2e

import (
	"fmt"
	"strings"
)

// parkArticle is a new article with a distinctive fact (and markup and a
// mass mention in its text, which must reach users as written and harm
// nothing).
const (
	parkName  = "jahra-park.txt"
	parkTitle = "بلدية الجهراء تفتتح حديقة الزهور الكبرى"
	parkFact  = "3 فبراير 2026"
	parkQ     = "متى افتتحت بلدية الجهراء حديقة الزهور؟"
	parkMark  = "<b>أهلًا</b> & @everyone"
)

var parkArticle = `+++
title = "` + parkTitle + `"
source = "جريدة الاختبار"
url = "https://example.com/news/jahra-park?a=1&b=2"
+++
افتتحت بلدية الجهراء حديقة الزهور الكبرى في ` + parkFact + ` بتكلفة بلغت سبعة ملايين دينار، وكُتب على بوابتها ` + parkMark + ` ترحيبًا بالزوار.

وتضم الحديقة ممشى طوله أربعة كيلومترات وبحيرة صناعية وملاعب للأطفال.
`

// longArticle has one sentence far longer than a Telegram message and
// several long ones about the same thing, so that an answer of five
// quotes needs several messages.
func longArticle() string {
	var b strings.Builder
	b.WriteString("+++\ntitle = \"خطة الأحمدي لتطوير الحدائق العامة\"\nurl = \"https://example.com/ahmadi\"\n+++\n")
	b.WriteString("أعلن مجلس بلدية الأحمدي خطة تطوير الحدائق العامة")
	for i := 1; i <= 70; i++ {
		fmt.Fprintf(&b, "، وتشمل خطة تطوير الحدائق العامة في الأحمدي إنشاء الحديقة رقم %d بمساحة %d متر مربع", i, 1000+37*i)
	}
	b.WriteString(".\n\n")
	for p := 1; p <= 6; p++ {
		fmt.Fprintf(&b, "وفي المرحلة %d من خطة تطوير الحدائق العامة في الأحمدي", p)
		for i := 1; i <= 12; i++ {
			fmt.Fprintf(&b, "، تزرع البلدية %d شجرة من النوع %d على امتداد الشارع %d", 100*p+i, i, 10*p+i)
		}
		b.WriteString(".\n\n")
	}
	return b.String()
}

const longQ = "ما هي خطة تطوير الحدائق العامة في الأحمدي؟"
