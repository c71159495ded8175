package adminui

import (
	"maps"
	"net/http"

	"github.com/sysmaint/sysmaint/notify"
)

// The screens' titles and labels used from Go (the templates hold the
// rest), in English: the keys of the catalog.
const (
	titleOverview         = "System Maintenance Management"
	titleNew              = "Schedule New System Maintenance"
	titleEdit             = "Edit System Maintenance"
	titleEditSub          = "Edit System Maintenance Information"
	titleDelete           = "Delete System Maintenance"
	labelStart            = "Start date"
	labelStop             = "Stop date"
	labelComment          = "Comment"
	labelLoginMessage     = "Login message"
	labelNotifyMessage    = "Notify message"
	labelValidity         = "Validity"
	labelDay              = "Day"
	labelMonth            = "Month"
	labelYear             = "Year"
	labelHour             = "Hour"
	labelMinute           = "Minute"
	labelAgentSessions    = "Agent Sessions"
	labelCustomerSessions = "Customer Sessions"
)

// The screens' messages, in English. A "%s" is replaced after
// translation.
const (
	msgDeleteAsk     = "Do you really want to delete this scheduled system maintenance?"
	msgAdded         = "System Maintenance was added successfully!"
	msgUpdated       = "System Maintenance was updated successfully!"
	msgDeleted       = "System Maintenance was deleted."
	msgKilled        = "Session has been killed!"
	msgKillNone      = "No session selected: nothing was killed."
	msgKillGone      = "That session had already ended: nothing was killed."
	msgKilledAll     = "All sessions have been killed, except for your own."
	msgNoOwnSession  = "Your own session is not known, so it could not be spared: nothing was killed."
	msgLeadSaved     = "The notice lead time was saved."
	msgLeadInvalid   = "The lead time must be a whole number of minutes from 1 to %s."
	msgLeadNotSaved  = "The lead time could not be saved; it was not changed. Please try again."
	msgLeadHint      = "From 1 to %s minutes (366 days)."
	msgBadFilter     = "Ignored what the overview cannot read: %s."
	msgExactHint     = "Exactly %s: kept while the date above is unchanged."
	msgPageNotFound  = "Page not found."
	msgNoWindow      = "No such system maintenance."
	msgGoneMeanwhile = "No such system maintenance: it may have been deleted meanwhile."
	msgTooLarge      = "The request is too large: a form may send at most 64 KiB. Nothing was saved."
	msgBadForm       = "The form could not be read. Reload the page and try again."
	msgBadToken      = "Invalid challenge token. Reload the page and try again."
	msgCrossOrigin   = "Cross-origin request refused."
	msgForbidden     = "You are not allowed to manage system maintenance."
	msgServerError   = "Something went wrong. Please try again."
)

// german holds the German texts of the screens, keyed by the English.
var german = map[string]string{
	langText: "de",

	titleOverview:         "Systemwartungs-Verwaltung",
	titleNew:              "Neue Systemwartung planen",
	titleEdit:             "Systemwartung bearbeiten",
	titleEditSub:          "Informationen der Systemwartung bearbeiten",
	titleDelete:           "Systemwartung löschen",
	labelStart:            "Startdatum",
	labelStop:             "Enddatum",
	labelComment:          "Kommentar",
	labelLoginMessage:     "Anmeldenachricht",
	labelNotifyMessage:    "Benachrichtigung",
	labelValidity:         "Gültigkeit",
	labelDay:              "Tag",
	labelMonth:            "Monat",
	labelYear:             "Jahr",
	labelHour:             "Stunde",
	labelMinute:           "Minute",
	labelAgentSessions:    "Agenten-Sitzungen",
	labelCustomerSessions: "Kunden-Sitzungen",

	msgAdded:         "Die Systemwartung wurde erfolgreich hinzugefügt!",
	msgUpdated:       "Die Systemwartung wurde erfolgreich aktualisiert!",
	msgDeleted:       "Die Systemwartung wurde gelöscht.",
	msgKilled:        "Die Sitzung wurde beendet!",
	msgKillNone:      "Keine Sitzung ausgewählt: nichts wurde beendet.",
	msgKillGone:      "Diese Sitzung war schon beendet: nichts wurde beendet.",
	msgKilledAll:     "Alle Sitzungen wurden beendet, außer Ihrer eigenen.",
	msgNoOwnSession:  "Ihre eigene Sitzung ist nicht bekannt und könnte nicht verschont werden: nichts wurde beendet.",
	msgLeadSaved:     "Die Vorlaufzeit der Ankündigung wurde gespeichert.",
	msgLeadInvalid:   "Die Vorlaufzeit muss eine ganze Zahl von Minuten von 1 bis %s sein.",
	msgLeadNotSaved:  "Die Vorlaufzeit konnte nicht gespeichert werden; sie bleibt unverändert. Bitte versuchen Sie es erneut.",
	msgLeadHint:      "1 bis %s Minuten (366 Tage).",
	msgBadFilter:     "Ignoriert, was die Übersicht nicht lesen kann: %s.",
	msgExactHint:     "Genau %s: bleibt erhalten, solange das Datum oben unverändert ist.",
	msgPageNotFound:  "Seite nicht gefunden.",
	msgNoWindow:      "Diese Systemwartung gibt es nicht.",
	msgGoneMeanwhile: "Diese Systemwartung gibt es nicht: vielleicht wurde sie inzwischen gelöscht.",
	msgTooLarge:      "Die Anfrage ist zu groß: ein Formular darf höchstens 64 KiB senden. Nichts wurde gespeichert.",
	msgBadForm:       "Das Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es erneut.",
	msgBadToken:      "Ungültiges Sicherheits-Token. Laden Sie die Seite neu und versuchen Sie es erneut.",
	msgCrossOrigin:   "Anfrage von einer fremden Herkunft abgelehnt.",
	msgForbidden:     "Sie dürfen Systemwartungen nicht verwalten.",
	msgServerError:   "Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.",

	MsgRequired:        "Dieses Feld wird benötigt.",
	MsgTooLong:         "Dieses Feld darf höchstens 250 Zeichen enthalten.",
	MsgDateInvalid:     "Datum ungültig!",
	MsgDateNotExist:    "Diese Uhrzeit gibt es in Ihrer Zeitzone nicht (Zeitumstellung).",
	MsgDateAmbiguous:   "Diese Uhrzeit gibt es in Ihrer Zeitzone zweimal (Zeitumstellung); wählen Sie eine andere Minute.",
	MsgUnknownValidity: "Dieses Feld hat einen unbekannten Wert.",
	MsgInvalidChars:    "Dieses Feld enthält Zeichen, die nicht erlaubt sind.",
	MsgStartAfterStop:  "Das Startdatum darf nicht nach dem Enddatum liegen!",
	MsgConflict:        "Jemand anderes hat diese Systemwartung geändert, seit Sie sie geöffnet haben. Ihre Änderungen wurden nicht gespeichert: laden Sie die aktuelle Fassung.",
	MsgNotSaved:        "Die Systemwartung konnte nicht gespeichert werden.",

	MsgRepeatNoZone:       "Für eine Wiederholung braucht es eine Zeitzone mit Namen, wie Europe/Berlin; Ihre ist ein fester Abstand zu UTC, daher kann sich diese Systemwartung nicht wiederholen.",
	MsgRepeatUnknownZone:  "Die Zeitzone dieser Wiederholung ist unbekannt.",
	MsgRepeatDays:         "Wählen Sie mindestens einen Wochentag.",
	MsgRepeatInterval:     "Geben Sie eine ganze Zahl von 1 bis 1000 ein.",
	MsgRepeatCount:        "Geben Sie eine Anzahl von Terminen von 1 bis 1000 ein.",
	MsgRepeatRule:         "Diese Wiederholungsregel unterstützt der Zeitplan nicht (eine RRULE nach RFC 5545 wie FREQ=WEEKLY;BYDAY=SU).",
	MsgRepeatNoOccurrence: "Die Wiederholung hat ab dem Startdatum keinen Termin.",
	MsgRepeatWholeSecond:  "Eine sich wiederholende Systemwartung beginnt und endet auf eine ganze Sekunde: wählen Sie die Minute erneut.",
	MsgRepeatTooLong:      "Ein Termin einer sich wiederholenden Systemwartung dauert höchstens 366 Tage.",

	labelRepeat:             "Wiederholen",
	labelRepeatNone:         "Keine Wiederholung",
	labelRepeatWeekly:       "Wöchentlich am",
	labelRepeatMonthWeekday: "Monatlich am",
	labelRepeatMonthDay:     "Monatlich am Tag",
	labelRepeatCustom:       "Nach einer Regel nach RFC 5545 (RRULE)",
	labelRepeatOrdinal:      "Der wievielte im Monat",
	labelRepeatWeekday:      "Wochentag",
	labelRepeatMonthDayOf:   "Tag des Monats",
	labelRepeatInterval:     "Alle",
	labelRepeatIntervalUnit: "Wochen bzw. Monate (1: jede, 2: jede zweite)",
	labelRepeatEnds:         "Endet",
	labelRepeatEndNever:     "Nie",
	labelRepeatEndUntil:     "Nach dem Tag",
	labelRepeatEndCount:     "Nach",
	labelRepeatCountUnit:    "Terminen",
	labelLastDay:            "letzter Tag",
	labelFirst:              "ersten",
	labelSecond:             "zweiten",
	labelThird:              "dritten",
	labelFourth:             "vierten",
	labelLast:               "letzten",
	labelMonday:             "Montag",
	labelTuesday:            "Dienstag",
	labelWednesday:          "Mittwoch",
	labelThursday:           "Donnerstag",
	labelFriday:             "Freitag",
	labelSaturday:           "Samstag",
	labelSunday:             "Sonntag",
	labelMon:                "Mo",
	labelTue:                "Di",
	labelWed:                "Mi",
	labelThu:                "Do",
	labelFri:                "Fr",
	labelSat:                "Sa",
	labelSun:                "So",
	labelNextOccurrences:    "Nächste Termine",

	msgRepeatHint:        "Wiederholt sich in der Zeit von %s, zur Uhrzeit des Beginns, ab dem ersten Tag am oder nach dem Startdatum, den die Wiederholung wählt. Wo die Uhren umgestellt werden, rückt eine übersprungene Startzeit um die Lücke vor, und von einer doppelt vorkommenden gilt die erste (wie in RFC 5545); jeder Termin dauert so lange wie der erste.",
	msgRepeatEditHint:    "Hat eine Serie begonnen, ändert das Speichern anderer Zeiten oder einer anderen Wiederholung sie ab ihrem nächsten Termin, als eigenes Wartungsfenster; die Termine davor bleiben, wie sie waren.",
	msgWeeklyOn:          "Wöchentlich am %s",
	msgEveryWeeksOn:      "Alle %s Wochen am %s",
	msgMonthlyOnThe:      "Monatlich am %s %s",
	msgEveryMonthsOnThe:  "Alle %s Monate am %s %s",
	msgMonthlyOnDay:      "Monatlich am %s.",
	msgEveryMonthsOnDay:  "Alle %s Monate am %s.",
	msgMonthlyLastDay:    "Monatlich am letzten Tag",
	msgEveryMonthsLast:   "Alle %s Monate am letzten Tag",
	msgRepeatsAsRule:     "Wiederholt sich nach %s",
	msgRepeatUntil:       "%s, bis %s",
	msgRepeatTimes:       "%s, %s-mal",
	msgRepeatInZone:      "%s, in der Zeit von %s",
	msgNextOccurrence:    "Nächster Termin: %s",
	msgNoNextOccurrence:  "Kein weiterer Termin.",
	msgOccurrenceSpan:    "%s, %s bis %s",
	msgSkipped:           "Der Termin wurde ausgelassen.",
	msgSkipNotOccurrence: "Das ist kein Termin dieser Systemwartung: nichts wurde ausgelassen.",
	msgPreviewOnce:       "Diese Systemwartung wiederholt sich nicht: sie findet einmal statt.",
	msgPreviewNone:       "Ab jetzt hat sie keinen Termin.",
	msgPreviewNotSaved:   "Noch nicht gespeichert: speichern Sie, um sie zu behalten.",

	occurrenceTimeLayout:     "02.01.2006 15:04 MST",
	occurrenceStopTimeLayout: "15:04 MST",
	untilDateTimeLayout:      "02.01.2006",
	overviewTimeLayout:       "02.01.2006 15:04:05,999 MST",
	exactTimeLayout:          "02.01.2006 15:04:05,999 MST",

	"valid":               "gültig",
	"invalid":             "ungültig",
	"invalid-temporarily": "ungültig-temporär",
	"planned":             "geplant",
	"active":              "aktiv",
	"finished":            "beendet",

	// The status pages' titles (http.StatusText).
	http.StatusText(http.StatusBadRequest):            "Ungültige Anfrage",
	http.StatusText(http.StatusForbidden):             "Verboten",
	http.StatusText(http.StatusNotFound):              "Nicht gefunden",
	http.StatusText(http.StatusRequestEntityTooLarge): "Anfrage zu groß",
	http.StatusText(http.StatusInternalServerError):   "Interner Fehler",

	// The templates' texts.
	"(your session)":       "(Ihre Sitzung)",
	"Actions":              "Aktionen",
	"All Sessions":         "Alle Sitzungen",
	"Apply filter":         "Filter anwenden",
	"Back to the overview": "Zurück zur Übersicht",
	"Breadcrumb":           "Brotkrümelnavigation",
	"Cancel":               "Abbrechen",
	"Delete":               "Löschen",
	"Do you really want to delete this scheduled system maintenance?": "Wollen Sie diese geplante Systemwartung wirklich löschen?",
	"Filter":                                 "Filter",
	"Filter this page":                       "Diese Seite filtern",
	"First page":                             "Erste Seite",
	"From %s, every page shows:":             "Ab %s zeigt jede Seite:",
	"Hint":                                   "Hinweis",
	"Links":                                  "Links",
	"Kill":                                   "Beenden",
	"Kill all Sessions, except for your own": "Alle Sitzungen beenden, außer Ihrer eigenen",
	"Kill this session":                      "Diese Sitzung beenden",
	"Last page":                              "Letzte Seite",
	"Load the current version (your changes are lost)": "Aktuelle Fassung laden (Ihre Änderungen gehen verloren)",
	"Manage Sessions": "Sitzungen verwalten",
	"Minutes before a maintenance starts that users are told about it": "Minuten vor Beginn einer Wartung, ab denen die Benutzer davon erfahren",
	"Next page":                         "Nächste Seite",
	"No data found.":                    "Keine Daten gefunden.",
	"No matches found.":                 "Keine Treffer gefunden.",
	"Notice lead time":                  "Vorlaufzeit der Ankündigung",
	"Pages":                             "Seiten",
	"Please correct the marked fields:": "Bitte korrigieren Sie die markierten Felder:",
	"Previous page":                     "Vorige Seite",
	"Save":                              "Speichern",
	"Save and finish":                   "Speichern und abschließen",
	"Schedule a system maintenance period for announcing the Agents and Customers the system is down for a time period.": "Planen Sie eine Systemwartung, um Agenten und Kunden anzukündigen, dass das System für eine Zeit nicht verfügbar ist.",
	"Session":                   "Sitzung",
	"Show all":                  "Alle anzeigen",
	"Show the next occurrences": "Die nächsten Termine zeigen",
	"Skip this one":             "Diesen auslassen",
	"Skipped":                   "Ausgelassen",
	"Show login message":        "Anmeldenachricht anzeigen",
	"Some time before this system maintenance starts the users will receive a notification on each screen announcing about this fact.": "Einige Zeit vor Beginn der Systemwartung erhalten die Benutzer auf jeder Seite eine Ankündigung.",
	"State": "Zustand",
	"System maintenance windows, sorted by start":                               "Systemwartungen, nach Beginn sortiert",
	"This system maintenance is active: deleting it ends it at once.":           "Diese Systemwartung ist aktiv: wird sie gelöscht, endet sie sofort.",
	"This system maintenance is not valid: users see none of this until it is.": "Diese Systemwartung ist nicht gültig: die Benutzer sehen nichts davon, solange sie es nicht ist.",
	"Times in %s":                           "Zeiten in %s",
	"Unique agents":                         "Eindeutige Agenten",
	"Unique customers":                      "Eindeutige Kunden",
	"User":                                  "Benutzer",
	"What users will see":                   "Was die Benutzer sehen",
	"While it is active, every page shows:": "Solange sie aktiv ist, zeigt jede Seite:",
	"While it is active, the login screen shows:": "Solange sie aktiv ist, zeigt die Anmeldeseite:",
	"nothing (Show login message is off)":         "nichts (Anmeldenachricht anzeigen ist aus)",
}

// DefaultCatalog returns a new copy of the screens' catalog: English (the
// texts themselves) and German, merged into notify.DefaultCatalog, so that
// one catalog serves both Options.Translator and
// notify.Settings.Translator. Add languages to the copy, or translate the
// English texts with a notify.TranslatorFunc of your own. Besides texts,
// the catalog translates the date layouts of the screens
// ("2006-01-02 15:04:05.999 MST" for the overview, "02.01.2006
// 15:04:05.999 MST" for an exact instant), and the text "en" into the tag
// of its language ("de"), which the screens put into their lang
// attribute.
func DefaultCatalog() notify.Catalog {
	c := notify.DefaultCatalog()
	de := c["de"]
	if de == nil {
		de = map[string]string{}
		c["de"] = de
	}
	maps.Copy(de, german)
	return c
}
