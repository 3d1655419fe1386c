package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

// packageRequest is a package's terms as the form sends them; the client
// comes from the path, on creation, and never changes. The days are read
// here, so a malformed one is named by its field.
type packageRequest struct {
	Kind     models.PackageKind `json:"kind"`
	Name     string             `json:"name"`
	Minutes  int                `json:"minutes"`
	Rollover bool               `json:"rollover"`
	StartsOn string             `json:"starts_on"`
	EndsOn   *string            `json:"ends_on"`
}

func (r packageRequest) hourPackage() (models.HourPackage, error) {
	pk := models.HourPackage{Kind: r.Kind, Name: r.Name, Minutes: r.Minutes, Rollover: r.Rollover}
	p := models.Problems{}
	if r.StartsOn != "" {
		d, err := models.ParseDate(r.StartsOn)
		if err != nil {
			p.Add("starts_on", models.DateFormat)
		}
		pk.StartsOn = d
	}
	if r.EndsOn != nil && *r.EndsOn != "" {
		d, err := models.ParseDate(*r.EndsOn)
		if err != nil {
			p.Add("ends_on", models.DateFormat)
		}
		pk.EndsOn = &d
	}
	return pk, p.Err()
}

// bindPackage reads a package's terms from the body.
func bindPackage(c echo.Context) (models.HourPackage, error) {
	var in packageRequest
	if err := bind(c, &in); err != nil {
		return models.HourPackage{}, err
	}
	return in.hourPackage()
}

// packages answers a client's packages and balance over ?from=..?to=
// (days of the agency; default the current month up to today, which is
// what "hours left this month" means).
func (h *handler) packages(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	today, err := h.store.Today(ctx)
	if err != nil {
		return err
	}
	from, to := models.Date{Time: today.AddDate(0, 0, 1-today.Day())}, today
	for name, d := range map[string]*models.Date{"from": &from, "to": &to} {
		if v := c.QueryParam(name); v != "" {
			if *d, err = models.ParseDate(v); err != nil {
				return &badRequest{name, problemOf(err)}
			}
		}
	}
	b, err := h.store.ClientBalance(ctx, actor(c), id, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (h *handler) createPackage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	pk, err := bindPackage(c)
	if err != nil {
		return err
	}
	pk, err = h.store.CreatePackage(c.Request().Context(), actor(c), id, pk)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, pk)
}

// updatePackage replaces a package's terms; ending it sends its ends_on.
func (h *handler) updatePackage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	pk, err := bindPackage(c)
	if err != nil {
		return err
	}
	pk, err = h.store.UpdatePackage(c.Request().Context(), actor(c), id, pk)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pk)
}
