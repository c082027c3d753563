package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// fill sets every field of a struct to a non-zero value, so a round trip
// shows a field the codec forgot.
func fill(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("v" + string(rune('a'+seed+i)))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(seed + i + 1))
		case reflect.Slice:
			if f.Type().Elem() != reflect.TypeFor[bot.Account]() {
				t.Fatalf("memberRecord.%s: a field the codec does not know", v.Type().Field(i).Name)
			}
			a := reflect.New(f.Type().Elem()).Elem()
			fill(t, a, seed+i)
			f.Set(reflect.Append(reflect.MakeSlice(f.Type(), 0, 1), a))
		case reflect.Struct:
			if f.Type() != reflect.TypeFor[time.Time]() {
				t.Fatalf("%s.%s: a field the codec does not know", v.Type(), v.Type().Field(i).Name)
			}
			f.Set(reflect.ValueOf(time.Date(2026, 1, 5, 10, 0, 0, 7, time.UTC)))
		default:
			t.Fatalf("%s.%s: a field the codec does not know", v.Type(), v.Type().Field(i).Name)
		}
	}
}

func TestMemberCodec_CoversEveryField(t *testing.T) {
	var rec memberRecord
	fill(t, reflect.ValueOf(&rec).Elem(), 0)
	var got memberRecord
	if err := decodeMember(encodeMember(&rec), &got); err != nil || !reflect.DeepEqual(got, rec) {
		t.Fatalf("round trip: %+v %v, want %+v", got, err, rec)
	}
	old, _ := json.Marshal(rec)
	got = memberRecord{}
	if err := decodeMember(old, &got); err != nil || !reflect.DeepEqual(got, rec) {
		t.Fatalf("a JSON record: %+v %v", got, err)
	}
}
