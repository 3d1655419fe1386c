package api

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

func (h *handler) listStatements(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Statements(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// createStatement opens a draft for the period from..to (days, both
// count); either left out is the last calendar month's, in the agency's
// time zone.
func (h *handler) createStatement(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		From *models.Date `json:"from"`
		To   *models.Date `json:"to"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	from, to, err := h.store.DefaultPeriod(ctx)
	if err != nil {
		return err
	}
	if in.From != nil {
		from = *in.From
	}
	if in.To != nil {
		to = *in.To
	}
	st, err := h.store.CreateStatement(ctx, actor(c), id, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, st)
}

func (h *handler) getStatement(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := h.store.Statement(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// statementCSV answers the statement as a spreadsheet file, one line per
// card, with the column names in the reader's language.
func (h *handler) statementCSV(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := h.store.Statement(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	locale, err := h.readerLocale(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := st.WriteCSV(&b, statementWords[locale]); err != nil {
		return err
	}
	name := "statement-" + st.From.String() + "-" + st.To.String()
	if st.Number != nil {
		name = "statement-" + *st.Number
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

var statementWords = map[models.Locale]models.StatementWords{
	models.LocaleEnglish: {Card: "Card", Project: "Project", Notes: "Work done", Hours: "Hours", Rate: "Rate",
		Amount: "Amount", Total: "Total"},
	models.LocalePolish: {Card: "Karta", Project: "Projekt", Notes: "Wykonane prace", Hours: "Godziny", Rate: "Stawka",
		Amount: "Kwota", Total: "Razem"},
	models.LocaleRussian: {Card: "Карточка", Project: "Проект", Notes: "Выполненные работы", Hours: "Часы", Rate: "Ставка",
		Amount: "Сумма", Total: "Итого"},
	models.LocaleJapanese: {Card: "カード", Project: "プロジェクト", Notes: "作業内容", Hours: "時間", Rate: "単価",
		Amount: "金額", Total: "合計"},
}

func (h *handler) setStatementNote(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	entry, err := idParam(c, "entry")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note" text:"multiline"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	st, err := h.store.SetStatementNote(c.Request().Context(), actor(c), id, entry, in.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *handler) issueStatement(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	st, err := h.store.IssueStatement(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
