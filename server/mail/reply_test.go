package mail

import "testing"

// TestStripReply: the answer alone survives the reply formats of Gmail,
// Outlook and Thunderbird (and their signatures and quoted lines).
func TestStripReply(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"gmail":                    "The blue one, please.\r\n\r\nOn Mon, 30 Nov 2026 at 09:12, Doska <reply+1-2-3-abc@agency.test> wrote:\r\n> Which logo do you prefer?\r\n> Open the card\r\n",
		"gmail wrapped":            "The blue one, please.\n\nOn Mon, 30 Nov 2026 at 09:12, Doska <\nreply+1-2-3-abc@agency.test> wrote:\n\n> Which logo do you prefer?\n",
		"gmail with signature":     "The blue one, please.\n\n-- \nChris Miller\nAcme Corp.\n\nOn Mon, 30 Nov 2026 at 09:12, Doska <doska@agency.test> wrote:\n> Which logo?\n",
		"outlook":                  "The blue one, please.\r\n\r\n________________________________\r\nFrom: Doska <doska@agency.test>\r\nSent: Monday, November 30, 2026 9:12 AM\r\nTo: Chris Miller <chris@acme.test>\r\nSubject: #12 Logo: a question for you\r\n\r\nWhich logo do you prefer?\r\n",
		"outlook header block":     "The blue one, please.\n\nFrom: Doska <doska@agency.test>\nSent: Monday, November 30, 2026 9:12 AM\nTo: Chris\nSubject: #12\n\nWhich logo?\n",
		"outlook original message": "The blue one, please.\n\n-----Original Message-----\nFrom: Doska\nSent: Monday\n\nWhich logo?\n",
		"thunderbird":              "The blue one, please.\n\nOn 30.11.26 09:12, Doska wrote:\n> Which logo do you prefer?\n>\n> Open the card: https://doska.test/t/12\n",
		"thunderbird polish":       "The blue one, please.\n\nW dniu 30.11.2026 o 09:12, Doska pisze:\n> Który logotyp?\n",
		"russian":                  "The blue one, please.\n\n30.11.2026 09:12, Doska пишет:\n> Какой логотип?\n",
		"phone":                    "The blue one, please.\n\nSent from my iPhone\n",
	}
	for name, in := range cases {
		if got := StripReply(in); got != "The blue one, please." {
			t.Errorf("%s: got %q", name, got)
		}
	}
	multi := "First line.\n\nSecond paragraph, on writing: fine.\n\nOn Mon, Doska wrote:\n> x"
	if got := StripReply(multi); got != "First line.\n\nSecond paragraph, on writing: fine." {
		t.Errorf("a paragraph of the answer was cut: %q", got)
	}
}
