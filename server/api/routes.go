package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/server/store"
)

// routes is the table of every endpoint, grouped by who may call it. The
// permission matrix test walks e.Routes() and fails on a route it lacks;
// so does the OpenAPI test on a route openapi.go does not document.
func (h *handler) routes(e *echo.Echo, live http.Handler) {
	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)

	// Public: sign-in and invitation landing.
	pub := e.Group("/api")
	pub.POST("/auth/login", h.login)
	pub.POST("/auth/refresh", h.refresh)
	pub.POST("/auth/logout", h.logout)
	pub.POST("/invitations/lookup", h.lookupInvitation)
	pub.POST("/invitations/accept", h.acceptInvitation)
	pub.GET("/openapi.json", h.openAPIDoc)
	pub.POST("/auth/forgot", h.forgotPassword)
	pub.POST("/auth/reset", h.resetPassword)
	pub.POST("/mail/unsubscribe/:token", h.unsubscribe)
	// The socket authenticates with its first frame (a browser cannot set
	// headers on it); the live hub checks the token there.
	pub.GET("/ws", echo.WrapHandler(live))

	// Signed in: the store checks role and object for each command. The
	// commands on cards take an Idempotency-Key, so a retried one runs once.
	api := e.Group("/api", h.requireUser)
	api.GET("/me", h.me)
	api.PATCH("/me", h.updateMe)
	api.POST("/me/password", h.changePassword)

	api.GET("/users", h.listUsers)
	api.PATCH("/users/:id", h.updateUser)
	api.GET("/invitations", h.listInvitations)
	api.POST("/invitations", h.createInvitation)
	api.DELETE("/invitations/:id", h.revokeInvitation)

	api.GET("/clients", h.listClients)
	api.POST("/clients", h.createClient)
	api.GET("/clients/:id", h.getClient)
	api.PATCH("/clients/:id", h.updateClient)

	api.GET("/projects", h.listProjects)
	api.POST("/projects", h.createProject)
	api.GET("/projects/:id", h.getProject)
	api.PATCH("/projects/:id", h.updateProject)
	api.PUT("/projects/:id/members", h.setMembers)
	api.GET("/projects/:id/board", h.board)
	api.GET("/projects/:id/archived", h.archivedTasks)
	api.POST("/projects/:id/tasks", h.createTask, h.idempotent)
	api.GET("/team-board", h.teamBoard)

	api.GET("/tasks/by-number/:number", h.getTaskByNumber)
	api.GET("/tasks/:id", h.getTask)
	api.PATCH("/tasks/:id", h.updateTask)
	api.POST("/tasks/:id/move", h.moveTask, h.idempotent)
	api.POST("/tasks/:id/archive", h.archiveTask, h.idempotent)
	api.POST("/tasks/:id/restore", h.restoreTask, h.idempotent)
	api.GET("/tasks/:id/activity", h.activity)
	api.GET("/tasks/:id/comments", h.listComments)
	api.POST("/tasks/:id/comments", h.addComment, h.idempotent)
	api.PATCH("/comments/:id", h.editComment)
	api.DELETE("/comments/:id", h.deleteComment)

	api.POST("/tasks/:id/approve", h.approveTask, h.idempotent)
	api.POST("/tasks/:id/request-changes", h.requestChanges, h.idempotent)
	api.POST("/tasks/:id/deployed", h.markDeployed, h.idempotent)
	api.POST("/tasks/:id/quote", h.quote(store.SendQuote), h.idempotent)
	api.POST("/tasks/:id/quote/accept", h.quote(store.AcceptQuote), h.idempotent)
	api.POST("/tasks/:id/quote/decline", h.quote(store.DeclineQuote), h.idempotent)
	api.POST("/tasks/:id/quote/override", h.quote(store.OverrideQuote), h.idempotent)
	api.GET("/tasks/:id/quote/amount", h.quoteAmount)
	api.GET("/waiting", h.waiting)
	api.GET("/approvals", h.approvals)
	api.GET("/deploys", h.deployList)
	api.GET("/home", h.home)
	api.GET("/seqs", h.seqs)
	api.GET("/notifications", h.notifications)
	api.POST("/notifications/read", h.markRead)
	api.GET("/settings", h.settings)
	api.PATCH("/settings", h.updateSettings)
	api.GET("/mail", h.sentMail)
	api.GET("/me/mail", h.mailPrefs)
	api.PUT("/me/mail", h.updateMailPrefs)

	api.GET("/backlog", h.backlog)
	api.GET("/sprints/:week", h.plan)
	api.GET("/sprints/:week/report", h.sprintReport)
	api.POST("/sprints/:week/close", h.closeWeek, h.idempotent)
	api.POST("/sprints/:week/plan", h.planTask, h.idempotent)
	api.PUT("/sprints/:week/capacity/:user", h.setOverride)
	api.POST("/tasks/:id/unplan", h.unplanTask, h.idempotent)
	api.PUT("/users/:id/capacity", h.setCapacity)

	// Attachments: the store checks who may add, read and remove each file;
	// uploads stream (see upload for their own size limit).
	api.POST("/tasks/:id/attachments", h.upload)
	api.GET("/tasks/:id/attachments", h.listAttachments)
	api.GET("/attachments/:id", h.download)
	api.GET("/attachments/:id/thumbnail", h.thumbnail)
	api.DELETE("/attachments/:id", h.deleteAttachment)

	// Service agreements: business hours, targets per client, the clocks
	// of a board's requests and the monthly report.
	api.GET("/business-hours", h.businessHours)
	api.PUT("/business-hours", h.setBusinessHours)
	api.GET("/clients/:id/sla", h.slaTargets)
	api.PUT("/clients/:id/sla", h.setSLATargets)
	api.GET("/clients/:id/sla-report", h.slaReport)
	api.GET("/clients/:id/rates", h.rates)
	api.PUT("/clients/:id/rates", h.setRates)
	api.GET("/clients/:id/packages", h.packages)
	api.POST("/clients/:id/packages", h.createPackage)
	api.PUT("/packages/:id", h.updatePackage)
	api.GET("/projects/:id/sla", h.boardClocks)

	// Time: one's own timer and entries; managers change anyone's.
	api.GET("/timer", h.timer)
	api.POST("/timer", h.startTimer, h.idempotent)
	api.POST("/timer/stop", h.stopTimer, h.idempotent)
	api.GET("/timesheet", h.timesheet)
	api.GET("/tasks/:id/time", h.taskTime)
	api.POST("/tasks/:id/time", h.addEntry, h.idempotent)
	api.PATCH("/time-entries/:id", h.updateEntry)
	api.DELETE("/time-entries/:id", h.deleteEntry)
	api.GET("/reports/time", h.timeReport)
	api.GET("/reports/time.csv", h.timeReportCSV)
	api.GET("/workshops", h.listWorkshops)
	api.POST("/workshops", h.createWorkshop)
	api.GET("/workshops/:id", h.getWorkshop)
	api.PATCH("/workshops/:id", h.updateWorkshop)
	api.POST("/workshops/:id/refresh", h.refreshAgenda)
	api.POST("/workshops/:id/proposals", h.proposeItem)
	api.POST("/workshops/:id/cards", h.convertLines, h.idempotent)
	api.GET("/tasks/:id/workshop", h.taskWorkshop)
	api.GET("/search", h.search)
	api.GET("/saved-filters", h.savedFilters)
	api.POST("/saved-filters", h.saveFilter)
	api.DELETE("/saved-filters/:id", h.deleteSavedFilter)
	api.PATCH("/saved-filters/:id", h.renameSavedFilter)
	// Client requests: filed by clients, triaged and escalated by PMs.
	api.POST("/requests", h.fileRequest, h.idempotent)
	api.POST("/requests/attachments", h.uploadRequestFile)
	api.GET("/triage", h.triage)
	api.POST("/tasks/:id/escalate", h.escalate, h.idempotent)
	api.GET("/clients/:id/overview", h.clientOverview)
	// Month-end statements: managers draft and issue; the client reads the
	// issued ones.
	api.GET("/clients/:id/statements", h.listStatements)
	api.POST("/clients/:id/statements", h.createStatement)
	api.GET("/statements/:id", h.getStatement)
	api.GET("/statements/:id/csv", h.statementCSV)
	api.PUT("/statements/:id/notes/:entry", h.setStatementNote)
	api.POST("/statements/:id/issue", h.issueStatement, h.idempotent)

	// Anything else under /api is a JSON 404, never the SPA.
	e.Any("/api/*", func(c echo.Context) error { return echo.ErrNotFound })
}
