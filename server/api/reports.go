package api

import (
	"bytes"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

// timeReport answers the time report as JSON; timeReportCSV the same as a
// spreadsheet file.
func (h *handler) timeReport(c echo.Context) error {
	r, err := h.readTimeReport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (h *handler) timeReportCSV(c echo.Context) error {
	r, err := h.readTimeReport(c)
	if err != nil {
		return err
	}
	locale, err := h.readerLocale(c)
	if err != nil {
		return err
	}
	words := csvWords[locale]
	var b bytes.Buffer
	if err := r.WriteCSV(&b, [5]string{words[string(r.Group)], words["hours"], words["billable"], words["amount"], words["currency"]}, words["total"]); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="time-`+r.From.String()+`-`+r.To.String()+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

// readerLocale is the reader's language, else the agency's, as the app
// shows it: for files opened outside the app, which cannot translate them.
func (h *handler) readerLocale(c echo.Context) (models.Locale, error) {
	if l := currentUser(c).Locale; l != nil {
		return *l, nil
	}
	set, err := h.store.Settings(c.Request().Context())
	return set.DefaultLocale, err
}

// csvWords are the column names of the CSV file in the reader's language:
// the file is opened outside the app, which cannot translate it.
var csvWords = map[models.Locale]map[string]string{
	models.LocaleEnglish: {"client": "Client", "project": "Project", "task": "Card", "person": "Person", "day": "Day",
		"hours": "Hours", "billable": "Billable hours", "total": "Total", "amount": "Amount", "currency": "Currency"},
	models.LocalePolish: {"client": "Klient", "project": "Projekt", "task": "Karta", "person": "Osoba", "day": "Dzień",
		"hours": "Godziny", "billable": "Godziny płatne", "total": "Razem", "amount": "Kwota", "currency": "Waluta"},
	models.LocaleRussian: {"client": "Клиент", "project": "Проект", "task": "Карточка", "person": "Сотрудник", "day": "День",
		"hours": "Часы", "billable": "Оплачиваемые часы", "total": "Итого", "amount": "Сумма", "currency": "Валюта"},
	models.LocaleJapanese: {"client": "クライアント", "project": "プロジェクト", "task": "カード", "person": "担当者", "day": "日付",
		"hours": "時間", "billable": "請求対象時間", "total": "合計", "amount": "金額", "currency": "通貨"},
}

// readTimeReport reads ?from= and ?to= (days, default this month in the
// reader's zone ?tz=), ?group= (default day), the filters ?client_id=,
// ?project_id=, ?task_id=, ?user_id= and ?billable=true|false.
func (h *handler) readTimeReport(c echo.Context) (models.Report, error) {
	loc, err := tzQuery(c)
	if err != nil {
		return models.Report{}, err
	}
	y, mo, _ := h.now().In(loc).Date()
	first := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	f := models.ReportFilter{From: models.Date{Time: first}, To: models.Date{Time: first.AddDate(0, 1, -1)}, Group: models.GroupDay}
	for name, d := range map[string]*models.Date{"from": &f.From, "to": &f.To} {
		if v := c.QueryParam(name); v != "" {
			if *d, err = models.ParseDate(v); err != nil {
				return models.Report{}, &badRequest{name, problemOf(err)}
			}
		}
	}
	if v := c.QueryParam("group"); v != "" {
		f.Group = models.ReportGroup(v)
	}
	for name, id := range map[string]*int64{"client_id": &f.ClientID, "project_id": &f.ProjectID, "task_id": &f.TaskID, "user_id": &f.UserID} {
		if *id, err = int64Query(c, name); err != nil {
			return models.Report{}, err
		}
	}
	if c.QueryParam("billable") != "" {
		b, err := boolQuery(c, "billable")
		if err != nil {
			return models.Report{}, err
		}
		f.Billable = &b
	}
	return h.store.TimeReport(c.Request().Context(), actor(c), f, loc)
}
