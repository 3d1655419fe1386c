package mail

import (
	"regexp"
	"strings"
)

// Mail programs put the mail being answered below the answer, with a line
// that introduces it. The reply is what comes before the first such line.
var (
	// "On Mon, 30 Nov 2026 at 09:12, Doska <doska@…> wrote:" (Gmail, Apple
	// Mail, Thunderbird), which Gmail may wrap over two or three lines;
	// the same in the languages Doska speaks.
	attribution = regexp.MustCompile(`(?is)^(on|am|le|el|w dniu|dnia)\b.{0,300}(wrote|schrieb|a écrit|escribió|napisał\(a\)|napisał|napisała|pisze)\s*:\s*$`)
	// "… пишет:", "… написал(а):", "2026年11月30日(月) 9:12 Doska <…>:"
	attributionOther = regexp.MustCompile(`(?is)^.{0,300}(пишет|написал\(а\)|написал|написала|さんは書きました|のメッセージ)\s*:\s*$|^\d{4}年\d{1,2}月\d{1,2}日.{0,200}:\s*$`)
	// Outlook: a rule, or a header block "From: … / Sent: …".
	outlookRule   = regexp.MustCompile(`^(_{10,}|-{3,}\s*(original message|ursprüngliche nachricht|wiadomość oryginalna|исходное сообщение)\s*-{3,})\s*$`)
	outlookHeader = regexp.MustCompile(`(?i)^\*?(from|von|od|от|差出人)\s*:\*?\s`)
	outlookSent   = regexp.MustCompile(`(?i)^\*?(sent|date|gesendet|wysłano|data|отправлено|дата|送信日時)\s*:\*?\s`)
	// Signatures: the standard delimiter and the phones' own lines.
	signature = regexp.MustCompile(`(?i)^(-- ?|sent from my .*|get outlook for .*|wysłane z .*|отправлено с .*)$`)
)

// StripReply returns the new text of a reply: the lines before the quoted
// mail and before the signature, without ">"-quoted lines.
func StripReply(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var kept []string
cut:
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case outlookRule.MatchString(strings.ToLower(t)) || signature.MatchString(line) || signature.MatchString(t):
			break cut
		case outlookHeader.MatchString(t) && i+1 < len(lines) && hasSentLine(lines[i+1:]):
			break cut
		case isAttribution(lines, i):
			break cut
		case strings.HasPrefix(t, ">"):
			continue
		}
		kept = append(kept, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// isAttribution reports whether line i, alone or joined with the next one
// or two (Gmail wraps long ones), introduces a quoted mail.
func isAttribution(lines []string, i int) bool {
	joined := ""
	for j := i; j < len(lines) && j < i+3; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			return false
		}
		joined = strings.TrimSpace(joined + " " + t)
		if attribution.MatchString(joined) || attributionOther.MatchString(joined) {
			return true
		}
	}
	return false
}

// hasSentLine: an Outlook header block names the date within a few lines.
func hasSentLine(rest []string) bool {
	for _, l := range rest[:min(4, len(rest))] {
		if outlookSent.MatchString(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}
