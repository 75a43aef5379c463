package qa

import (
	"strings"

	"github.com/qabot/qabot/index/arabic"
)

// monthWords are month names, normalised, in both Arabic systems (the
// Egyptian/Gulf transliterations and the Levantine Syriac names), plus
// English and a few time-of-day words: a sentence holding one answers
// "when". Names that are also common words or first names are left out:
// the Hijri رجب، صفر، شعبان، رمضان (رجب طيب أردوغان), آب (father), عقد (held).
var monthWords = setOf(arabic.Normalize(`يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
	كانون شباط آذار اذار نيسان أيار ايار حزيران تموز أيلول ايلول تشرين
	محرم جمادى شوال
	january february march april may june july august september october november december
	صباحا مساء فجرا ظهرا عصرا منتصف القرن`))

// numberWords are Arabic number words, normalised: a sentence holding one
// answers "how many" even without digits.
var numberWords = setOf(arabic.Normalize(`واحد واحدة اثنان اثنين اثنتان اثنتين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثماني ثمانية تسع تسعة عشر عشرة
	أحد إحدى عشرون عشرين ثلاثون ثلاثين أربعون أربعين خمسون خمسين ستون ستين سبعون سبعين ثمانون ثمانين تسعون تسعين
	مائة مئة مئتان مئتين مائتي ألف آلاف ألفين مليون ملايين مليار مليارات نصف ربع ثلث ضعف
	مرة مرتين مرات`))

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
