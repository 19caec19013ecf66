/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-record-page.h"
#include "core/cb-record.h"
#include "cb-certificate-window.h"
#include "cb-instrument-panel.h"
#include "instruments/cb-instrument.h"
#include "instruments/cb-procedure.h"
#include "instruments/cb-transport.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-readings.h"
#include "store/cb-store-standards.h"
#include "store/cb-store-records.h"
#include "store/cb-store-tasks.h"

struct _CbRecordPage
{
  GtkWidget       parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkLabel       *conclusion_label;
  GtkFlowBox     *header_box;
  GtkBox         *blocks_box;
  AdwToastOverlay *toast_overlay;
  GtkButton      *sign_button;
  GtkButton      *return_button;
  GtkButton      *run_button;
  GtkButton      *acquire_button;
  GtkToggleButton *instruments_button;
  CbInstrumentPanel *instrument_panel;
  GtkLabel       *warnings_label;  /* the environment out of its limits */
  char           *current_cell;  /* the reading the cursor was last in */
  GtkButton      *certificate_button;
  GtkButton      *print_record_button;
  GtkRevealer    *procedure_bar;
  GtkProgressBar *procedure_progress;
  GtkToggleButton *pause_button;

  CbProcedure    *procedure;
  GCancellable   *procedure_cancellable;
  GtkLabel       *returned_label;

  CbSession      *session;
  CbRecord       *record;
  gint64          record_id;
  gint64          task_id;
  gint64          performer;
  gboolean        editable;     /* the logged-in person performs it, and it is not approved */
  char           *state;        /* the record's: draft, performed, checked, approved, returned */
  CbSignMeaning   sign_meaning; /* what the sign button signs */
  GHashTable     *cells;        /* cell id → its widget */
  GPtrArray      *point_labels; /* the shown point numbers, marked when out of tolerance */
  char           *pending_focus; /* the cell Enter moved to, once its row is shown */
  GHashTable     *tables;       /* block name → its GtkColumnView */
  gboolean        folded;
};

G_DEFINE_FINAL_TYPE (CbRecordPage, cb_record_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/* About what a table's header and a row of entries take (the floor of a
 * table's height, see create_block()). */
#define TABLE_HEADER_HEIGHT   46
#define TABLE_ROW_HEIGHT      39   /* a row of entries */
#define TABLE_TEXT_ROW_HEIGHT 25   /* a row read only */
/* How many frames a table waits for its first rows before it keeps its floor. */
#define FIT_TABLE_FRAMES      120

/* Helpers */

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static GtkWidget *
create_header_field (const char *label,
                     const char *value)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *caption = gtk_label_new (label);
  GtkWidget *text = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

/* Shows a cell's state on its widget: a label's text, an entry's error. */
static void
update_cell_widget (GtkWidget    *widget,
                    const CbCell *cell)
{
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, cell->state == CB_CELL_ERROR ? cell->message : NULL);
  if (cell->state == CB_CELL_ERROR)
    gtk_widget_add_css_class (widget, "error");
  if (GTK_IS_LABEL (widget))
    gtk_label_set_text (GTK_LABEL (widget),
                        cell->state == CB_CELL_OK ? cell->text
                        : cell->state == CB_CELL_ERROR && cell->kind != CB_CELL_KIND_ENTERED ? "⚠"
                        : cell->text != NULL ? cell->text : "");
}

static void on_entry_activate     (CbRecordPage *self,
                                   GtkEntry     *entry);
static void on_entry_focus_leave  (GtkEventControllerFocus *controller,
                                   CbRecordPage            *self);
static void on_entry_focus_enter  (GtkEventControllerFocus *controller,
                                   CbRecordPage            *self);
static void on_entry_icon_press   (CbRecordPage         *self,
                                   GtkEntryIconPosition  position,
                                   GtkEntry             *entry);

/* A cell's widget: an entry for what the performer types, a label for the
 * rest. Which cell it shows comes with show_cell(), again and again when a
 * table reuses it for another point. */
static GtkWidget *
new_cell_widget (CbRecordPage *self,
                 gboolean      editable,
                 gboolean      entered)
{
  GtkWidget *widget;

  if (editable)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      widget = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (widget), 10);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (widget), 12);
      gtk_editable_set_alignment (GTK_EDITABLE (widget), 1);
      gtk_entry_set_icon_from_icon_name (GTK_ENTRY (widget), GTK_ENTRY_ICON_SECONDARY, "document-open-recent-symbolic");
      gtk_entry_set_icon_tooltip_text (GTK_ENTRY (widget), GTK_ENTRY_ICON_SECONDARY, _("Where this value came from, and its changes"));
      g_signal_connect_swapped (widget, "activate", G_CALLBACK (on_entry_activate), self);
      g_signal_connect_swapped (widget, "icon-press", G_CALLBACK (on_entry_icon_press), self);
      g_signal_connect (focus, "leave", G_CALLBACK (on_entry_focus_leave), self);
      g_signal_connect (focus, "enter", G_CALLBACK (on_entry_focus_enter), self);
      gtk_widget_add_controller (widget, focus);
      gtk_widget_add_css_class (widget, "cb-cell-entry");
    }
  else
    {
      widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (widget), 1);
      gtk_widget_add_css_class (widget, entered ? "cb-cell-entered" : "cb-cell-computed");
    }
  gtk_widget_add_css_class (widget, "numeric");
  return widget;
}

static void
show_cell (CbRecordPage *self,
           GtkWidget    *widget,
           const char   *id,
           const CbCell *cell)
{
  g_object_set_data_full (G_OBJECT (widget), "cb-cell", g_strdup (id), g_free);
  if (GTK_IS_ENTRY (widget))
    {
      gtk_editable_set_text (GTK_EDITABLE (widget), cell->text != NULL ? cell->text : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, id, -1);
    }
  update_cell_widget (widget, cell);
  g_hash_table_insert (self->cells, g_strdup (id), widget);
}

static gboolean
cell_is_editable (CbRecordPage *self,
                  const CbCell *cell)
{
  return (cell->kind == CB_CELL_KIND_ENTERED || cell->kind == CB_CELL_KIND_INPUT) && self->editable;
}

static GtkWidget *
create_cell_widget (CbRecordPage *self,
                    const char   *id,
                    const CbCell *cell)
{
  GtkWidget *widget = new_cell_widget (self, cell_is_editable (self, cell), cell->kind == CB_CELL_KIND_ENTERED);

  show_cell (self, widget, id, cell);
  return widget;
}

/* A point's number: red when the point is out of tolerance. */
static void
update_point_label (CbRecordPage *self,
                    GtkWidget    *label)
{
  guint block = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "cb-block"));
  guint point = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "cb-point"));
  gboolean decided = FALSE;

  if (self->record != NULL && !cb_record_point_passes (self->record, block, point, &decided))
    {
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "cb-point-fail");
      gtk_widget_set_tooltip_text (label, _("Out of tolerance at this point"));
    }
  else
    {
      gtk_widget_remove_css_class (label, "cb-point-fail");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (label, NULL);
    }
}

/* Every shown cell again from the record, after a change. */
static void
refresh_cells (CbRecordPage *self)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *conclusion = NULL;

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CbCell cell;

      if (cb_record_get_cell (self->record, key, &cell, NULL))
        update_cell_widget (value, &cell);
    }

  /* Points out of tolerance: their number in red. */
  for (guint i = 0; i < self->point_labels->len; i++)
    update_point_label (self, g_ptr_array_index (self->point_labels, i));

  if (self->warnings_label != NULL)
    {
      const char * const *warnings = cb_record_get_warnings (self->record);
      g_autofree char *text = warnings != NULL ? g_strjoinv ("\n", (char **) warnings) : NULL;

      gtk_label_set_text (self->warnings_label, text != NULL ? text : "");
      gtk_widget_set_visible (GTK_WIDGET (self->warnings_label), text != NULL && *text != '\0');
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->conclusion_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->conclusion_label), "error");
  switch (cb_record_get_conclusion (self->record, &conclusion))
    {
    case CB_CONCLUSION_PASS:
      gtk_label_set_text (self->conclusion_label, conclusion);
      gtk_widget_add_css_class (GTK_WIDGET (self->conclusion_label), "success");
      break;
    case CB_CONCLUSION_FAIL:
    case CB_CONCLUSION_UNDETERMINED:
      gtk_label_set_text (self->conclusion_label, conclusion);
      gtk_widget_add_css_class (GTK_WIDGET (self->conclusion_label), "error");
      break;
    default:
      gtk_label_set_text (self->conclusion_label, _("Not concluded yet: readings or inputs are missing"));
      break;
    }
}

/* The id of the same column one point further down, or NULL. */
static char *
cell_below (const char *id)
{
  g_auto(GStrv) parts = g_strsplit (id, "/", 0);
  guint64 point;

  if (g_strv_length (parts) < 3 || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &point, NULL))
    return NULL;
  if (parts[3] != NULL)
    return g_strdup_printf ("%s/%u/%s/%s", parts[0], (guint) point + 1, parts[2], parts[3]);
  return g_strdup_printf ("%s/%u/%s", parts[0], (guint) point + 1, parts[2]);
}

/* Stores @text in @id (a reason is needed when it replaces a value). */
static gboolean
enter_value (CbRecordPage *self,
             const char   *id,
             const char   *text,
             const char   *reason)
{
  g_autoptr(GError) error = NULL;

  if (!cb_store_record_enter (cb_session_get_store (self->session), self->record_id,
                              cb_session_get_staff_id (self->session), self->record, id, text, NULL, reason,
                              &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return FALSE;
    }
  refresh_cells (self);
  return TRUE;
}

typedef struct
{
  CbRecordPage *self;
  char         *id;
  char         *text;
  char         *old;
  GtkEntry     *reason;
  gboolean      move_down;  /* Enter was pressed: the cell below is next */
} Change;

static void
change_free (Change *change)
{
  g_object_unref (change->self);
  g_free (change->id);
  g_free (change->text);
  g_free (change->old);
  g_free (change);
}

static void
on_reason_changed (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, g_object_get_data (G_OBJECT (dialog), "cb-accept"),
                                           *text != '\0');
}

/* A dialog that asks why: its @accept response is enabled once a reason is
 * typed; @reason_out gets the entry. */
static AdwMessageDialog *
reason_dialog (CbRecordPage          *self,
               const char            *heading,
               const char            *body,
               const char            *cancel_label,
               const char            *accept,
               const char            *accept_label,
               AdwResponseAppearance  appearance,
               GtkEntry             **reason_out)
{
  AdwMessageDialog *dialog;
  GtkWidget *reason = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                        heading, body));
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (reason), TRUE);
  adw_message_dialog_set_extra_child (dialog, reason);
  adw_message_dialog_add_responses (dialog, "cancel", cancel_label, accept, accept_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, accept, appearance);
  adw_message_dialog_set_default_response (dialog, accept);
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, accept, FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "cb-accept", g_strdup (accept), g_free);
  g_signal_connect (reason, "changed", G_CALLBACK (on_reason_changed), dialog);
  *reason_out = GTK_ENTRY (reason);
  return dialog;
}

static void move_down (CbRecordPage *self,
                       const char   *id);

static void
on_change_response (AdwMessageDialog *dialog,
                    const char       *response,
                    Change           *change)
{
  CbRecordPage *self = change->self;
  GtkWidget *entry = g_hash_table_lookup (self->cells, change->id);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (change->reason))));

  if (!g_str_equal (response, "change") || *reason == '\0'
      || !enter_value (self, change->id, change->text, reason))
    {
      /* Not changed: the entry shows the value that stands. */
      if (entry != NULL)
        gtk_editable_set_text (GTK_EDITABLE (entry), change->old);
    }
  if (change->move_down)
    move_down (self, change->id);
}

/* A new value in an entered cell; a changed one asks why first, and
 * returns TRUE while it asks (@move_down: then the cell below is next). */
static gboolean
commit_entry (CbRecordPage *self,
              GtkEntry     *entry,
              gboolean      move_down)
{
  const char *id = g_object_get_data (G_OBJECT (entry), "cb-cell");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  AdwMessageDialog *dialog;
  Change *change;
  CbCell cell;
  g_autofree char *body = NULL;

  if (self->record == NULL || id == NULL || !cb_record_get_cell (self->record, id, &cell, NULL))
    return FALSE;
  if (g_strcmp0 (cell.text != NULL ? cell.text : "", text) == 0)
    return FALSE;
  if (cell.text == NULL || *cell.text == '\0')
    {
      enter_value (self, id, text, NULL);
      return FALSE;
    }

  change = g_new0 (Change, 1);
  change->self = g_object_ref (self);
  change->id = g_strdup (id);
  change->text = g_strdup (text);
  change->old = g_strdup (cell.text);
  change->move_down = move_down;
  /* TRANSLATORS: a cell, its old value and the new one */
  body = g_strdup_printf (_("%s changes from %s to %s. The old value stays in the record's history with the reason."),
                          id, cell.text, *text != '\0' ? text : _("nothing"));
  dialog = reason_dialog (self, _("Why Change This Value?"), body, _("_Keep the Old Value"), "change", _("_Change"),
                          ADW_RESPONSE_SUGGESTED, &change->reason);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_change_response), change,
                         (GClosureNotify) (void (*) (void)) change_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* The point of a cell "BLOCK/POINT/NAME[/REPEAT]", or 0. */
static guint
cell_point (const char *id)
{
  g_auto(GStrv) parts = g_strsplit (id, "/", 0);
  guint64 point = 0;

  if (g_strv_length (parts) < 3 || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &point, NULL))
    return 0;
  return (guint) point;
}

static gboolean
focus_pending_cell (gpointer data)
{
  CbRecordPage *self = data;
  GtkWidget *next = self->pending_focus != NULL && self->cells != NULL
                    ? g_hash_table_lookup (self->cells, self->pending_focus) : NULL;

  if (next != NULL && GTK_IS_ENTRY (next))
    {
      gtk_widget_grab_focus (next);
      g_clear_pointer (&self->pending_focus, g_free);
    }
  return G_SOURCE_REMOVE;
}

/* Enter moves down, as in a spreadsheet; the table shows the row first
 * (it has no widget for it while it is scrolled away). */
static void
move_down (CbRecordPage *self,
           const char   *id)
{
  g_autofree char *below = cell_below (id);
  GtkWidget *from = self->cells != NULL ? g_hash_table_lookup (self->cells, id) : NULL;
  GtkWidget *next;
  CbCell cell;

  if (below == NULL || self->record == NULL || !cb_record_get_cell (self->record, below, &cell, NULL))
    return;
  if (from != NULL)
    gtk_widget_activate_action (from, "list.scroll-to-item", "u", cell_point (below) - 1);
  next = g_hash_table_lookup (self->cells, below);
  if (next != NULL && GTK_IS_ENTRY (next))
    {
      gtk_widget_grab_focus (next);
      return;
    }
  g_free (self->pending_focus);
  self->pending_focus = g_strdup (below);
}

static void
on_entry_activate (CbRecordPage *self,
                   GtkEntry     *entry)
{
  const char *id = g_object_get_data (G_OBJECT (entry), "cb-cell");

  /* A changed value moves on once its reason is given. */
  if (id != NULL && !commit_entry (self, entry, TRUE))
    move_down (self, id);
}

static void
on_entry_focus_enter (GtkEventControllerFocus *controller,
                      CbRecordPage            *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  g_free (self->current_cell);
  self->current_cell = g_strdup (g_object_get_data (G_OBJECT (entry), "cb-cell"));
}

static void
on_entry_focus_leave (GtkEventControllerFocus *controller,
                      CbRecordPage            *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (gtk_widget_get_root (entry) != NULL)
    commit_entry (self, GTK_ENTRY (entry), FALSE);
}

/* The cell's readings, the replaced ones struck through, with who, when, why. */
static void
on_entry_icon_press (CbRecordPage         *self,
                     GtkEntryIconPosition  position,
                     GtkEntry             *entry)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *id = g_object_get_data (G_OBJECT (entry), "cb-cell");

  history = cb_store_reading_history (cb_session_get_store (self->session), self->record_id, id, &error);
  if (history == NULL || history->len == 0)
    {
      GtkWidget *label = gtk_label_new (error != NULL ? error->message : _("Nothing entered yet"));

      gtk_box_append (GTK_BOX (box), label);
    }
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      CbStoredReading *reading = g_ptr_array_index (history, i);
      g_autofree char *markup = NULL;
      const char *source = g_strcmp0 (reading->source, "instrument") == 0 ? reading->instrument : _("typed");
      GtkWidget *label;

      if (reading->voided)
        markup = g_markup_printf_escaped (_("<s>%s</s>  %s, %s, %s\n<small>changed by %s at %s: %s</small>"),
                                          reading->value, source, reading->entered_by, reading->entered_at,
                                          reading->voided_by != NULL ? reading->voided_by : "?",
                                          reading->voided_at != NULL ? reading->voided_at : "?",
                                          reading->void_reason != NULL ? reading->void_reason : "");
      else
        markup = g_markup_printf_escaped (_("<b>%s</b>  %s, %s, %s"), reading->value, source,
                                          reading->entered_by, reading->entered_at);
      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (entry));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* What the logged-in person may do with the record now: sign it as
 * performer, checker or approver, or return it.  The store checks the
 * rules again (authorisations, who signed before). */
static void
update_actions (CbRecordPage *self,
                gint64        performer)
{
  gint64 me = cb_session_get_staff_id (self->session);
  gboolean can_sign = FALSE;
  const char *label = NULL;
  const char *tooltip = NULL;

  if (me == performer && (g_strcmp0 (self->state, "draft") == 0 || g_strcmp0 (self->state, "returned") == 0))
    {
      can_sign = TRUE;
      self->sign_meaning = CB_SIGN_PERFORMED;
      label = _("_Sign and Submit…");
      tooltip = _("Sign as performer with your password and send the record to its checker");
    }
  else if (me != performer && g_strcmp0 (self->state, "performed") == 0 && cb_session_has_role (self->session, "checker"))
    {
      can_sign = TRUE;
      self->sign_meaning = CB_SIGN_CHECKED;
      label = _("_Check and Sign…");
      tooltip = _("Sign as checker with your password and send the record to its approver");
    }
  else if (me != performer && g_strcmp0 (self->state, "checked") == 0 && cb_session_has_role (self->session, "approver"))
    {
      can_sign = TRUE;
      self->sign_meaning = CB_SIGN_APPROVED;
      label = _("_Approve…");
      tooltip = _("Approve with your password: the certificate can then be issued");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sign_button), can_sign);
  if (label != NULL)
    {
      gtk_button_set_label (self->sign_button, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sign_button), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->return_button),
                          can_sign && self->sign_meaning != CB_SIGN_PERFORMED);

  gtk_widget_set_visible (GTK_WIDGET (self->certificate_button), g_strcmp0 (self->state, "approved") == 0);

  /* Instruments fill the points of a block that says how. */
  {
    CbTemplate *tmpl = cb_record_get_template (self->record);
    gboolean procedure = FALSE;

    for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
      procedure |= cb_template_get_block_procedure (tmpl, b) != NULL;
    gtk_widget_set_visible (GTK_WIDGET (self->run_button), self->editable && procedure && self->procedure == NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->acquire_button), self->editable && procedure
                            && cb_session_get_instrument_port (self->session, "uut") != NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->instruments_button),
                            cb_session_get_instrument_port (self->session, "calibrator") != NULL
                            || cb_session_get_instrument_port (self->session, "uut") != NULL
                            || cb_session_get_instrument_port (self->session, "pressure") != NULL
                            || cb_session_get_instrument_port (self->session, "sensor") != NULL);
  }
}

static void
on_return_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CbRecordPage     *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)))));

  if (!g_str_equal (response, "return"))
    return;
  if (!cb_store_record_return (cb_session_get_store (self->session), self->record_id,
                               cb_session_get_staff_id (self->session), reason, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  cb_record_page_show_task (self, self->task_id, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Returned to its performer")));
  g_signal_emit (self, signals[SIGNED], 0);
}

static void
on_return_clicked (CbRecordPage *self)
{
  AdwMessageDialog *dialog;
  GtkEntry *reason;

  dialog = reason_dialog (self, _("Return to the Performer?"),
                          _("Say what must be done: the performer sees it with the record. "
                            "The signatures given so far no longer hold."),
                          _("_Cancel"), "return", _("_Return"), ADW_RESPONSE_DESTRUCTIVE, &reason);
  g_signal_connect (dialog, "response", G_CALLBACK (on_return_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}


/* ------------------------------------------------------------------ */
/* The procedure: the bench's instruments fill the record              */
/* ------------------------------------------------------------------ */


/* The driver of a procedure's role. */
static const char *
role_driver (const char *role)
{
  static const struct { const char *role, *driver; } drivers[] = {
    { "calibrator", "calibrator" }, { "uut", "dmm" }, { "pressure", "pressure" }, { "sensor", "thermohygrometer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (drivers); i++)
    if (g_strcmp0 (drivers[i].role, role) == 0)
      return drivers[i].driver;
  return "dmm";
}

/* Acquire: one reading of the multimeter into the reading under the cursor,
 * set up as the cell's block says (quantity, the point's range). */
typedef struct
{
  char              *port;
  CbMeasureSettings  settings;
  char              *cell;
  CbReading         *reading;
  char              *identity;
  double             scale;
  const char        *driver;
} AcquireData;

static void
acquire_data_free (AcquireData *data)
{
  g_free (data->port);
  g_free (data->cell);
  g_clear_pointer (&data->reading, cb_reading_free);
  g_free (data->identity);
  g_free (data);
}

static void
acquire_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AcquireData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = NULL;

  if ((instrument = cb_instrument_open_port (data->port, cb_driver_find (data->driver), cancellable, &error)) == NULL
      || !cb_instrument_configure (instrument, &data->settings, cancellable, &error)
      || (data->reading = cb_instrument_measure (instrument, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->identity = g_strdup (cb_instrument_get_identity (instrument));
  g_task_return_boolean (task, TRUE);
}

static void
on_acquired (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbRecordPage *self = CB_RECORD_PAGE (source_object);
  AcquireData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CbReadingSource source = { 0 };
  GtkWidget *entry;
  CbCell cell;

  gtk_widget_set_sensitive (GTK_WIDGET (self->acquire_button), TRUE);
  cb_instrument_panel_set_busy (self->instrument_panel, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  if (self->record == NULL || data->reading->overload)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("The multimeter reads an overload")));
      return;
    }
  source.instrument = data->identity;
  source.raw_reply = data->reading->raw;
  text = cb_procedure_reading_text (data->reading, data->scale);
  if (!cb_store_record_enter (cb_session_get_store (self->session), self->record_id,
                              cb_session_get_staff_id (self->session), self->record, data->cell, text,
                              &source,
                              cb_record_get_cell (self->record, data->cell, &cell, NULL) && cell.text != NULL
                              ? _("acquired again from the instrument") : NULL,
                              &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  entry = g_hash_table_lookup (self->cells, data->cell);
  if (entry != NULL && GTK_IS_ENTRY (entry))
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  refresh_cells (self);
}

/* The panel holds no port any more: the worker of @user_data (a GTask) may
 * open them. */
static void
on_ports_free (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  cb_instrument_panel_wait_closed_finish (CB_INSTRUMENT_PANEL (source_object), result, NULL);
  g_task_run_in_thread (task, g_task_get_source_tag (task));
}

static void
on_acquire_clicked (CbRecordPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *role = NULL;
  AcquireData *data;
  CbMeasureSettings settings;
  const char *port;
  double scale;

  if (self->current_cell == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Put the cursor in a reading the multimeter measures first")));
      return;
    }
  if (!cb_procedure_plan_reading (self->record, self->current_cell, &role, &settings, &scale, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  port = cb_session_get_instrument_port (self->session, role);
  if (port == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No port is set for the “%s” instrument in the preferences"), role);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }
  data = g_new0 (AcquireData, 1);
  data->port = g_strdup (port);
  data->cell = g_strdup (self->current_cell);
  data->settings = settings;
  data->scale = scale;
  data->driver = role_driver (role);
  gtk_widget_set_sensitive (GTK_WIDGET (self->acquire_button), FALSE);
  task = g_task_new (self, NULL, on_acquired, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) acquire_data_free);
  /* The panel lets go of the ports first; then the worker runs. */
  g_task_set_source_tag (task, acquire_thread);
  cb_instrument_panel_set_busy (self->instrument_panel, TRUE);
  cb_instrument_panel_wait_closed_async (self->instrument_panel, NULL, on_ports_free, g_steal_pointer (&task));
}

static void
toggle_instruments_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CbRecordPage *self = CB_RECORD_PAGE (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->instruments_button)))
    gtk_toggle_button_set_active (self->instruments_button,
                                  !gtk_toggle_button_get_active (self->instruments_button));
}

static gboolean
acquire_shortcut (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  CbRecordPage *self = CB_RECORD_PAGE (widget);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->acquire_button))
      || !gtk_widget_get_sensitive (GTK_WIDGET (self->acquire_button)))
    return FALSE;
  on_acquire_clicked (self);
  return TRUE;
}

/* The issued certificate of an approved record, or a draft of it. */
/* The PDF of a laid-out certificate or record, drawn on a worker thread
 * (the layout holds copies of everything it prints). */
typedef struct
{
  CbCertificate *certificate;  /* until the window takes it */
} Drawing;

static void
drawing_free (Drawing *drawing)
{
  g_clear_pointer (&drawing->certificate, cb_certificate_free);
  g_free (drawing);
}

static void
draw_pdf_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Drawing *drawing = task_data;
  GError *error = NULL;
  GBytes *pdf = cb_certificate_to_pdf (drawing->certificate, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

static void
present_preview (CbRecordPage  *self,
                 CbCertificate *certificate,
                 GBytes        *pdf)
{
  g_autoptr(GError) error = NULL;
  CbCertificateWindow *window;

  window = cb_certificate_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), certificate, pdf, &error);
  if (window == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_pdf_drawn (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbRecordPage *self = CB_RECORD_PAGE (source_object);
  Drawing *drawing = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_record_button), TRUE);
  if (pdf == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  /* The window takes the layout over from the task. */
  present_preview (self, g_steal_pointer (&drawing->certificate), pdf);
}

/* Shows @certificate (taken), drawing its PDF first when @pdf is NULL. */
static void
preview (CbRecordPage  *self,
         CbCertificate *certificate,
         GBytes        *pdf)
{
  g_autoptr(GTask) task = NULL;
  Drawing *drawing;

  if (pdf != NULL)
    {
      present_preview (self, certificate, pdf);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_record_button), FALSE);
  task = g_task_new (self, NULL, on_pdf_drawn, NULL);
  drawing = g_new0 (Drawing, 1);
  drawing->certificate = certificate;
  g_task_set_task_data (task, drawing, (GDestroyNotify) drawing_free);
  g_task_run_in_thread (task, draw_pdf_thread);
}

typedef struct
{
  CbRecordPage  *page;
  CbCertificate *certificate;
} Fetch;

static void
on_certificate_fetched (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Fetch *fetch = user_data;
  CbRecordPage *self = fetch->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = cb_sync_client_fetch_certificate_finish (CB_SYNC_CLIENT (source_object), result, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_button), TRUE);
  if (pdf == NULL)
    {
      /* TRANSLATORS: why the signed file did not come from the lab server */
      g_autofree char *message = g_strdup_printf (_("The signed file did not come from the lab server (%s): "
                                                    "the certificate is drawn again here"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
    }
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    preview (self, g_steal_pointer (&fetch->certificate), pdf);
  g_clear_pointer (&fetch->certificate, cb_certificate_free);
  g_object_unref (fetch->page);
  g_free (fetch);
}

static void
on_certificate_clicked (CbRecordPage *self)
{
  CbStore *store = cb_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbLab) lab = cb_lab_new_default ();
  g_autoptr(CbCertificateFacts) facts = cb_store_certificate_facts (store, self->record_id, &error);
  g_autoptr(CbStoredCertificate) issued = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  CbCertificate *certificate = NULL;
  gint64 id;

  if (facts == NULL)
    goto failed;
  id = cb_store_certificate_find_for_record (store, self->record_id, &error);
  if (id != 0)
    {
      issued = cb_store_certificate_get (store, id, &error);
      if (issued == NULL)
        goto failed;
      /* A certificate kept without its file (an imported one) is drawn again. */
      pdf = cb_store_certificate_get_pdf (store, id, NULL);
    }
  certificate = cb_certificate_new (lab, self->record, facts, issued != NULL ? issued->number : _("DRAFT"),
                                    issued != NULL ? issued->kind : "original", NULL,
                                    issued != NULL && issued->issued_at != NULL ? issued->issued_at : today, &error);
  if (certificate == NULL)
    goto failed;
  /* Issued at the lab server: this bench has the row, the signed file
   * comes from the server once and is kept in the cache after. */
  if (issued != NULL && pdf == NULL && issued->sha256 != NULL
      && cb_session_get_sync_client (self->session) != NULL)
    {
      Fetch *fetch = g_new0 (Fetch, 1);

      fetch->page = g_object_ref (self);
      fetch->certificate = certificate;
      gtk_widget_set_sensitive (GTK_WIDGET (self->certificate_button), FALSE);
      cb_sync_client_fetch_certificate_async (cb_session_get_sync_client (self->session), issued->number,
                                              issued->sha256, NULL, on_certificate_fetched, fetch);
      return;
    }
  if (issued != NULL && pdf == NULL)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("This bench has no copy of the signed file: the certificate is drawn again here")));
  preview (self, certificate, pdf);
  return;

failed:
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error != NULL ? error->message : _("No certificate")));
}

/* The original record on paper: the same layout code as the certificate. */
static void
on_print_record_clicked (CbRecordPage *self)
{
  CbStore *store = cb_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbLab) lab = cb_lab_new_default ();
  g_autoptr(CbCertificateFacts) facts = cb_store_certificate_facts (store, self->record_id, &error);
  CbCertificate *layout;

  if (facts == NULL
      || (layout = cb_certificate_new_original (lab, self->record, facts, facts->sample_label, &error)) == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  preview (self, layout, NULL);
}

typedef struct
{
  char *calibrator_port;
  char *uut_port;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->calibrator_port);
  g_free (data->uut_port);
  g_free (data);
}

/* Opening a port and asking the instrument who it is can take a while:
 * on a worker thread. */
static void
open_instruments_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GHashTable) instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) cb_instrument_unref);
  const struct { const char *role, *driver, *port; } wanted[] = {
    { "calibrator", "calibrator", data->calibrator_port },
    { "uut", "dmm", data->uut_port },
  };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      g_autoptr(GError) error = NULL;
      CbInstrument *instrument = cb_instrument_open_port (wanted[i].port, cb_driver_find (wanted[i].driver),
                                                           cancellable, &error);

      if (instrument == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_hash_table_insert (instruments, g_strdup (wanted[i].role), instrument);
    }
  g_task_return_pointer (task, g_steal_pointer (&instruments), (GDestroyNotify) g_hash_table_unref);
}

static void
end_procedure (CbRecordPage *self,
               const char   *message)
{
  gtk_revealer_set_reveal_child (self->procedure_bar, FALSE);
  g_clear_object (&self->procedure);
  g_clear_object (&self->procedure_cancellable);
  cb_instrument_panel_set_busy (self->instrument_panel, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_button), TRUE);
  refresh_cells (self);
  update_actions (self, self->performer);
  if (message != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
on_procedure_point (CbRecordPage *self)
{
  guint n = cb_procedure_get_n_points (self->procedure);
  guint point = cb_procedure_get_point (self->procedure);
  g_autofree char *text = NULL;

  /* TRANSLATORS: progress of a procedure, "Point 2 of 6" */
  text = g_strdup_printf (_("Point %u of %u"), point, n);
  /* The row being measured scrolls into view. */
  {
    const char *block = NULL;
    guint row = 0;
    GtkWidget *table;

    if (self->tables != NULL && cb_procedure_get_step (self->procedure, &block, &row)
        && (table = g_hash_table_lookup (self->tables, block)) != NULL)
      for (GtkWidget *child = gtk_widget_get_first_child (table); child != NULL; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LIST_VIEW (child))
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", row - 1);
  }
  gtk_progress_bar_set_text (self->procedure_progress, text);
  gtk_progress_bar_set_fraction (self->procedure_progress, n > 0 ? (double) (point > 0 ? point - 1 : 0) / n : 0);
}

static void
on_procedure_point_done (CbRecordPage *self)
{
  refresh_cells (self);
  if (self->procedure != NULL)
    {
      guint n = cb_procedure_get_n_points (self->procedure);

      gtk_progress_bar_set_fraction (self->procedure_progress,
                                     n > 0 ? (double) cb_procedure_get_point (self->procedure) / n : 1);
    }
}

static void
on_failure_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CbRecordPage     *self)
{
  if (self->procedure == NULL)
    return;
  cb_procedure_resolve (self->procedure,
                        g_str_equal (response, "retry") ? CB_PROCEDURE_ACTION_RETRY
                        : g_str_equal (response, "skip") ? CB_PROCEDURE_ACTION_SKIP
                        : CB_PROCEDURE_ACTION_ABORT);
}

/* A point failed: the operator chooses, the sources wait in standby. */
static CbProcedureAction
on_procedure_point_failed (CbProcedure  *procedure,
                           const char   *block,
                           guint         point,
                           GError       *error,
                           CbRecordPage *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  /* TRANSLATORS: a block's name and a point's number */
  heading = g_strdup_printf (_("Point %u of %s Failed"), point, block);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                        heading, error->message));
  adw_message_dialog_add_responses (dialog, "abort", _("_Stop"), "skip", _("S_kip the Point"),
                                    "retry", _("_Try Again"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "retry", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "retry");
  adw_message_dialog_set_close_response (dialog, "abort");
  g_signal_connect (dialog, "response", G_CALLBACK (on_failure_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return CB_PROCEDURE_ACTION_WAIT;
}

static void
on_procedure_finished (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CbRecordPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cb_procedure_run_finish (CB_PROCEDURE (source_object), result, &error))
    {
      g_autofree char *message = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                 ? g_strdup (_("Procedure stopped; the calibrator is in standby"))
                                 : g_strdup_printf (_("Procedure stopped: %s"), error->message);

      end_procedure (self, message);
      return;
    }
  end_procedure (self, _("Procedure finished; the calibrator is in standby"));
}

static void
on_instruments_open (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CbRecordPage) self = user_data;
  g_autoptr(GHashTable) instruments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  instruments = g_task_propagate_pointer (G_TASK (result), &error);
  if (instruments == NULL || self->record == NULL)
    {
      message = g_strdup_printf (_("The instruments cannot be used: %s"),
                                 error != NULL ? error->message : _("the record was closed"));
      end_procedure (self, message);
      return;
    }
  self->procedure = cb_procedure_new (self->record, NULL, instruments, &error);
  if (self->procedure == NULL)
    {
      end_procedure (self, error->message);
      return;
    }
  cb_procedure_set_store (self->procedure, cb_session_get_store (self->session), self->record_id);
  g_signal_connect_object (self->procedure, "notify::point", G_CALLBACK (on_procedure_point), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->procedure, "point-done", G_CALLBACK (on_procedure_point_done), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->procedure, "point-failed", G_CALLBACK (on_procedure_point_failed), self, 0);
  on_procedure_point (self);
  cb_procedure_run_async (self->procedure, self->procedure_cancellable, on_procedure_finished, g_object_ref (self));
}

static void
on_run_clicked (CbRecordPage *self)
{
  const char *calibrator = cb_session_get_instrument_port (self->session, "calibrator");
  const char *uut = cb_session_get_instrument_port (self->session, "uut");
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  if (calibrator == NULL || uut == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Set the ports of the calibrator and the multimeter in Preferences first")));
      return;
    }
  data = g_new0 (OpenData, 1);
  data->calibrator_port = g_strdup (calibrator);
  data->uut_port = g_strdup (uut);
  self->procedure_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_button), FALSE);
  gtk_toggle_button_set_active (self->pause_button, FALSE);
  gtk_progress_bar_set_fraction (self->procedure_progress, 0);
  gtk_progress_bar_set_text (self->procedure_progress, _("Connecting to the instruments…"));
  gtk_revealer_set_reveal_child (self->procedure_bar, TRUE);

  task = g_task_new (self, self->procedure_cancellable, on_instruments_open, g_object_ref (self));
  g_task_set_source_tag (task, open_instruments_thread);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  cb_instrument_panel_set_busy (self->instrument_panel, TRUE);
  cb_instrument_panel_wait_closed_async (self->instrument_panel, NULL, on_ports_free, g_steal_pointer (&task));
}

static void
on_pause_toggled (CbRecordPage *self)
{
  if (self->procedure == NULL)
    return;
  if (gtk_toggle_button_get_active (self->pause_button))
    cb_procedure_pause (self->procedure);
  else
    cb_procedure_resume (self->procedure);
}

static void
on_stop_clicked (CbRecordPage *self)
{
  if (self->procedure_cancellable != NULL)
    g_cancellable_cancel (self->procedure_cancellable);
}

typedef struct
{
  gint64         record_id;
  gint64         staff_id;
  CbSignMeaning  meaning;
  char          *password;
  CbRecord *record;
  CbStore  *store;
} SignData;

static void
sign_data_free (SignData *data)
{
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_clear_pointer (&data->store, cb_store_close);
  g_free (data);
}

/* Saves the record as it is and signs it as performed: the password hash
 * is slow on purpose, so this runs on a worker thread while the page waits. */
static void
sign_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SignData *data = task_data;
  GError *error = NULL;

  /* Only the performer saves what was entered; the others sign what is stored. */
  if ((data->meaning == CB_SIGN_PERFORMED
       && !cb_store_record_save (data->store, data->record_id, data->staff_id, data->record,
                                 _("saved to be signed"), &error))
      || !cb_store_record_sign (data->store, data->record_id, data->staff_id, data->meaning,
                                data->password, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_signed (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbRecordPage *self = CB_RECORD_PAGE (source_object);
  g_autoptr(GError) error = NULL;
  gint64 task = GPOINTER_TO_SIZE (user_data);

  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_button), TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  cb_record_page_show_task (self, task, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Signed")));
  g_signal_emit (self, signals[SIGNED], 0);
}

static void
on_sign_response (AdwMessageDialog *dialog,
                  const char       *response,
                  CbRecordPage     *self)
{
  GtkEditable *password = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GTask) task = NULL;
  SignData *data;

  g_autoptr(GError) error = NULL;
  CbStore *store;

  if (!g_str_equal (response, "sign") || self->record == NULL)
    return;
  /* The password hash is slow: on a worker thread, on a connection of its own. */
  store = cb_session_open_worker_store (self->session, &error);
  if (store == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  data = g_new0 (SignData, 1);
  data->record_id = self->record_id;
  data->staff_id = cb_session_get_staff_id (self->session);
  data->meaning = self->sign_meaning;
  data->password = g_strdup (gtk_editable_get_text (password));
  data->record = self->record;
  data->store = store;
  gtk_editable_set_text (password, "");

  /* Nothing changes the record while it is being signed. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_button), FALSE);
  task = g_task_new (self, NULL, on_signed, GSIZE_TO_POINTER (self->task_id));
  g_task_set_task_data (task, data, (GDestroyNotify) sign_data_free);
  g_task_run_in_thread (task, sign_thread);
}

static void
on_sign_clicked (CbRecordPage *self)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *password;

  if (self->record == NULL)
    return;
  if (self->sign_meaning == CB_SIGN_PERFORMED && !cb_record_is_complete (self->record, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not ready to sign: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                        self->sign_meaning == CB_SIGN_PERFORMED ? _("Sign as Performer")
                                                        : self->sign_meaning == CB_SIGN_CHECKED ? _("Sign as Checker")
                                                        : _("Approve"),
                                                        _("Your signature binds this exact version of the record, "
                                                          "with your name and the time. Enter your password again.")));
  /* A plain entry: GTK 4.8's password entry outlives its window badly. */
  password = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (password), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (password), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (password), _("Password"));
  gtk_entry_set_activates_default (GTK_ENTRY (password), TRUE);
  adw_message_dialog_set_extra_child (dialog, password);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "sign");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_sign_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
format_dof (double dof)
{
  return isfinite (dof) ? g_strdup_printf ("%.0f", dof) : g_strdup ("∞");
}

static void
budget_cell (GtkGrid    *grid,
             const char *text,
             int         column,
             int         row,
             gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (heading)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

/* A point's uncertainty budget as the engine computes it now: each
 * component's contribution and share, the combined and expanded values
 * and the effective degrees of freedom. */
GtkWidget *
cb_point_budget_view_new (CbRecord *record,
                          guint     block,
                          guint     point)
{
  g_autoptr(CbPointBudget) budget = cb_record_get_point_budget (record, block, point);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title;
  GtkGrid *grid;
  g_autofree char *heading = NULL;
  g_autofree char *unit_caption = NULL;
  int row = 1;

  /* TRANSLATORS: %u is the number of a test point */
  heading = g_strdup_printf (_("Uncertainty budget of point %u"), point);
  title = gtk_label_new (heading);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  if (budget == NULL)
    return box;

  grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (grid, 18);
  gtk_grid_set_row_spacing (grid, 4);
  /* TRANSLATORS: the column of a component's contribution |c|·u, with its unit */
  unit_caption = g_strdup_printf (_("u(y) / %s"), budget->unit);
  budget_cell (grid, _("Component"), 0, 0, TRUE);
  budget_cell (grid, unit_caption, 1, 0, TRUE);
  budget_cell (grid, _("Share"), 2, 0, TRUE);
  budget_cell (grid, _("ν"), 3, 0, TRUE);
  for (guint i = 0; i < budget->n_lines; i++, row++)
    {
      const CbBudgetLine *line = &budget->lines[i];
      g_autofree char *u = isfinite (line->contribution) ? g_strdup_printf ("%.3g", line->contribution) : g_strdup ("—");
      g_autofree char *share = isfinite (line->share) ? g_strdup_printf ("%.0f %%", 100 * line->share) : g_strdup ("—");
      g_autofree char *dof = format_dof (line->dof);

      budget_cell (grid, line->label != NULL ? line->label : line->name, 0, row, FALSE);
      budget_cell (grid, u, 1, row, FALSE);
      budget_cell (grid, share, 2, row, FALSE);
      budget_cell (grid, dof, 3, row, FALSE);
    }
  {
    g_autofree char *uc = isfinite (budget->combined) ? g_strdup_printf ("%.3g", budget->combined) : g_strdup ("—");
    g_autofree char *dof = format_dof (budget->effective_dof);
    g_autofree char *k = g_strdup_printf ("k = %g", budget->k);
    g_autofree char *expanded = budget->expanded_text != NULL ? g_strdup_printf ("%s %s", budget->expanded_text, budget->unit)
                                                              : g_strdup ("—");

    gtk_grid_attach (grid, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, row++, 4, 1);
    budget_cell (grid, _("Combined standard uncertainty"), 0, row, FALSE);
    budget_cell (grid, uc, 1, row, FALSE);
    budget_cell (grid, "", 2, row, FALSE);
    budget_cell (grid, dof, 3, row++, FALSE);
    budget_cell (grid, _("Expanded uncertainty"), 0, row, FALSE);
    budget_cell (grid, expanded, 1, row, FALSE);
    budget_cell (grid, k, 2, row++, FALSE);
  }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (grid));
  return box;
}

/* Built again each time it shows: the budget follows the entered values. */
static void
on_budget_popover_show (GtkPopover   *popover,
                        CbRecordPage *self)
{
  GtkWidget *button = gtk_widget_get_parent (GTK_WIDGET (popover));
  guint block = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cb-block"));
  guint point = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cb-point"));

  if (self->record != NULL)
    gtk_popover_set_child (popover, cb_point_budget_view_new (self->record, block, point));
}

static void
create_budget_popover (GtkMenuButton *button,
                       gpointer       user_data)
{
  GtkWidget *popover = gtk_popover_new ();

  g_signal_connect_object (popover, "show", G_CALLBACK (on_budget_popover_show), user_data, 0);
  gtk_menu_button_set_popover (button, popover);
}

/* A row of a block's table: one test point. */
#define CB_TYPE_POINT_ROW (cb_point_row_get_type ())
G_DECLARE_FINAL_TYPE (CbPointRow, cb_point_row, CB, POINT_ROW, GObject)

struct _CbPointRow
{
  GObject parent_instance;
  guint   point;  /* from 1 */
};

G_DEFINE_FINAL_TYPE (CbPointRow, cb_point_row, G_TYPE_OBJECT)

static void
cb_point_row_class_init (CbPointRowClass *klass)
{
}

static void
cb_point_row_init (CbPointRow *self)
{
}

/* What a column of a block's table shows of each point. */
typedef struct
{
  CbRecordPage *self;        /* unowned: the page owns the table */
  guint         block;
  char         *block_name;
  char         *name;        /* the cell after the point, "reading/2"; NULL: the point's number */
  gboolean      editable;    /* entries, not labels */
  gboolean      entered;
  gboolean      has_budget;  /* the number opens the point's uncertainty budget */
} TableColumn;

static TableColumn *
table_column_new (CbRecordPage *self,
                  guint         block,
                  const char   *block_name,
                  const char   *name)
{
  TableColumn *column = g_new0 (TableColumn, 1);

  column->self = self;
  column->block = block;
  column->block_name = g_strdup (block_name);
  column->name = g_strdup (name);
  return column;
}

static void
table_column_free (TableColumn *column)
{
  g_free (column->block_name);
  g_free (column->name);
  g_free (column);
}

static void
on_table_cell_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     TableColumn              *column)
{
  GtkWidget *widget;

  if (column->name != NULL)
    widget = new_cell_widget (column->self, column->editable, column->entered);
  else
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      widget = label;
      if (column->has_budget)
        {
          widget = gtk_menu_button_new ();
          gtk_menu_button_set_child (GTK_MENU_BUTTON (widget), label);
          gtk_widget_add_css_class (widget, "flat");
          gtk_widget_add_css_class (widget, "cb-point-button");
          gtk_widget_set_tooltip_text (widget, _("The uncertainty budget of this point"));
          gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (widget), create_budget_popover, column->self, NULL);
        }
      g_object_set_data (G_OBJECT (widget), "cb-number", label);
    }
  gtk_list_item_set_child (item, widget);
}

static void
on_table_cell_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    TableColumn              *column)
{
  CbRecordPage *self = column->self;
  CbPointRow *row = gtk_list_item_get_item (item);
  GtkWidget *widget = gtk_list_item_get_child (item);
  g_autofree char *id = NULL;
  CbCell cell;

  if (self->cells == NULL || self->record == NULL)
    return;
  if (column->name == NULL)
    {
      GtkWidget *label = g_object_get_data (G_OBJECT (widget), "cb-number");
      g_autofree char *number = g_strdup_printf ("%u", row->point);

      gtk_label_set_text (GTK_LABEL (label), number);
      for (GtkWidget *w = label; w != NULL; w = w == widget ? NULL : widget)
        {
          g_object_set_data (G_OBJECT (w), "cb-block", GUINT_TO_POINTER (column->block));
          g_object_set_data (G_OBJECT (w), "cb-point", GUINT_TO_POINTER (row->point));
        }
      g_ptr_array_add (self->point_labels, label);
      update_point_label (self, label);
      return;
    }
  id = g_strdup_printf ("%s/%u/%s", column->block_name, row->point, column->name);
  if (!cb_record_get_cell (self->record, id, &cell, NULL))
    return;
  show_cell (self, widget, id, &cell);
  if (g_strcmp0 (self->pending_focus, id) == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, focus_pending_cell, g_object_ref (self), g_object_unref);
}

static void
on_table_cell_unbind (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      TableColumn              *column)
{
  CbRecordPage *self = column->self;
  GtkWidget *widget = gtk_list_item_get_child (item);
  const char *id = g_object_get_data (G_OBJECT (widget), "cb-cell");

  if (self->cells == NULL)
    return;
  if (column->name == NULL)
    {
      g_ptr_array_remove_fast (self->point_labels, g_object_get_data (G_OBJECT (widget), "cb-number"));
      return;
    }
  if (id != NULL && g_hash_table_lookup (self->cells, id) == widget)
    g_hash_table_remove (self->cells, id);
}

static void
append_table_column (GtkColumnView *view,
                     TableColumn   *column,
                     const char    *title)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_table_cell_setup), column);
  g_signal_connect (factory, "bind", G_CALLBACK (on_table_cell_bind), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_table_cell_unbind), column);
  g_object_set_data_full (G_OBJECT (factory), "cb-column", column, (GDestroyNotify) table_column_free);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (view, view_column);
}

/* One block as a table: a column per value of a point (a column per repeat
 * of a repeated reading, then its mean), a row per point. The rows are
 * made as they scroll into view, so a block of hundreds of points opens
 * as fast as one of five. */
/* A table's scroller once its first rows are laid out: its floor becomes
 * the header and its first points as they really are (entries, or text
 * only), see create_block(). */
static gboolean
fit_table (GtkWidget     *scroller,
           GdkFrameClock *frame_clock,
           gpointer       user_data)
{
  GtkWidget *view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *header = view != NULL ? gtk_widget_get_first_child (view) : NULL;
  GtkWidget *list = header != NULL ? gtk_widget_get_next_sibling (header) : NULL;
  GtkWidget *row = list != NULL ? gtk_widget_get_first_child (list) : NULL;
  GtkWidget *next = row != NULL ? gtk_widget_get_next_sibling (row) : NULL;
  graphene_point_t first, second;
  double stride;
  guint n_rows;

  guint *frames = user_data;

  /* Not laid out yet; a table never shown keeps its floor. */
  if (row == NULL || gtk_widget_get_height (row) <= 0
      || !gtk_widget_compute_point (row, view, &GRAPHENE_POINT_INIT (0, 0), &first))
    return ++*frames < FIT_TABLE_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
  /* From one row's top to the next's: separators included. */
  stride = next != NULL && gtk_widget_compute_point (next, view, &GRAPHENE_POINT_INIT (0, 0), &second)
           && second.y > first.y ? second.y - first.y : gtk_widget_get_height (row) + 1;
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view))));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller),
                                              MIN ((int) ceil (first.y + stride * MIN (n_rows, 12)) + 4, 520));
  return G_SOURCE_REMOVE;
}

static GtkWidget *
create_block (CbRecordPage *self,
              CbTemplate   *tmpl,
              guint         block,
              JsonArray    *points)
{
  gboolean has_budget;
  const char *name = cb_template_get_block_name (tmpl, block);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (cb_template_get_block_title (tmpl, block));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  g_autoptr(GListStore) rows = g_list_store_new (CB_TYPE_POINT_ROW);
  GtkColumnView *view;
  g_autoptr(GList) members = NULL;
  TableColumn *column;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  for (guint p = 0; p < json_array_get_length (points); p++)
    {
      g_autoptr(CbPointRow) row = g_object_new (CB_TYPE_POINT_ROW, NULL);

      row->point = p + 1;
      g_list_store_append (rows, row);
    }
  view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (rows))))));
  gtk_column_view_set_show_row_separators (view, TRUE);
  gtk_column_view_set_show_column_separators (view, TRUE);
  gtk_column_view_set_reorderable (view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (view), "data-table");
  gtk_widget_add_css_class (GTK_WIDGET (view), "cb-record-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cb_template_get_block_title (tmpl, block), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_halign (scroller, GTK_ALIGN_START);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 520);
  /* A table wider than the page scrolls sideways; GTK 4.8 then asks the
   * view for its height before it has made any row, and a table would be
   * left a header and a sliver.  Room for the first points, at least. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller),
                                              MIN (520, TABLE_HEADER_HEIGHT
                                                   + (self->editable ? TABLE_ROW_HEIGHT : TABLE_TEXT_ROW_HEIGHT)
                                                     * (int) MIN (json_array_get_length (points), 12)));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (view));
  g_hash_table_insert (self->tables, g_strdup (name), view);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), scroller);

  if (json_array_get_length (points) == 0)
    return box;
  gtk_widget_add_tick_callback (scroller, fit_table, g_new0 (guint, 1), g_free);

  {
    g_autoptr(CbPointBudget) probe = cb_record_get_point_budget (self->record, block, 1);

    has_budget = probe != NULL;
  }
  column = table_column_new (self, block, name, NULL);
  column->has_budget = has_budget;
  append_table_column (view, column, "#");

  /* Columns: "NAME" or "NAME/REPEAT" relative to a point. */
  members = json_object_get_members (json_object_get_object_member (json_array_get_object_element (points, 0), "cells"));
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *id = g_strdup_printf ("%s/1/%s", name, (const char *) l->data);
      g_autofree char *caption = NULL;
      guint repeats = 1;
      CbCell cell;

      if (!cb_record_get_cell (self->record, id, &cell, NULL))
        continue;
      for (guint r = 0; r < cb_template_get_n_readings (tmpl, block); r++)
        {
          guint n;

          if (g_str_equal (cb_template_get_reading (tmpl, block, r, &n, NULL), l->data))
            repeats = n;
        }
      for (guint k = 1; repeats > 1 && k <= repeats; k++)
        {
          g_autofree char *repeat_id = g_strdup_printf ("%s/1/%s/%u", name, (const char *) l->data, k);
          g_autofree char *repeat_caption = g_strdup_printf ("%s %u", cell.label, k);
          g_autofree char *repeat_name = g_strdup_printf ("%s/%u", (const char *) l->data, k);
          CbCell repeat;

          column = table_column_new (self, block, name, repeat_name);
          if (cb_record_get_cell (self->record, repeat_id, &repeat, NULL))
            {
              column->editable = cell_is_editable (self, &repeat);
              column->entered = repeat.kind == CB_CELL_KIND_ENTERED;
            }
          append_table_column (view, column, repeat_caption);
        }
      if (cell.unit != NULL && g_strcmp0 (cell.unit, "1") != 0)
        caption = g_strdup_printf ("%s\n%s", repeats > 1 ? _("mean") : cell.label, cell.unit);
      else
        caption = g_strdup (repeats > 1 ? _("mean") : cell.label);
      column = table_column_new (self, block, name, l->data);
      column->editable = cell_is_editable (self, &cell);
      column->entered = cell.kind == CB_CELL_KIND_ENTERED;
      append_table_column (view, column, caption);
    }
  return box;
}

/* ------------------------------------------------------------------ */
/* Standards: one per role of the template, only usable ones chosen     */
/* ------------------------------------------------------------------ */

typedef struct
{
  CbRecordPage *self;
  char         *role;
  gint64        standard;
  GtkEntry     *reason;
} StandardChoice;

static void
standard_choice_free (StandardChoice *choice)
{
  g_object_unref (choice->self);
  g_free (choice->role);
  g_free (choice);
}

/* "多功能校准器 5522A": the standard's name and model. */
static char *
name_standard (const CbStandard *standard)
{
  if (standard->model == NULL || *standard->model == '\0')
    return g_strdup (standard->name);
  return g_strdup_printf ("%s %s", standard->name, standard->model);
}

static char *
describe_standard (const CbStandard *standard)
{
  /* TRANSLATORS: a standard's asset number, its certificate and until when it is valid */
  return g_strdup_printf (_("%s · certificate %s · valid until %s"), standard->asset_no,
                          standard->certificate_no != NULL ? standard->certificate_no : "—",
                          standard->valid_until != NULL ? standard->valid_until : "—");
}

static void
use_standard (CbRecordPage *self,
              const char   *role,
              gint64        standard,
              const char   *reason)
{
  g_autoptr(GError) error = NULL;

  if (!cb_store_record_use_standard (cb_session_get_store (self->session), self->record_id,
                                     cb_session_get_staff_id (self->session), role, standard, reason, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  cb_record_page_show_task (self, self->task_id, NULL);
}

static void
on_standard_reason_response (AdwMessageDialog *dialog,
                             const char       *response,
                             StandardChoice   *choice)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (choice->reason))));

  if (g_str_equal (response, "change") && *reason != '\0')
    use_standard (choice->self, choice->role, choice->standard, reason);
}

static void
on_standard_row_activated (GtkListBox    *list,
                           GtkListBoxRow *row,
                           CbRecordPage  *self)
{
  const char *role = g_object_get_data (G_OBJECT (list), "cb-role");
  gint64 standard = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "cb-standard"));
  g_autoptr(CbStandardUsage) current = cb_store_record_standard (cb_session_get_store (self->session),
                                                                 self->record_id, role, NULL);
  AdwMessageDialog *dialog;
  StandardChoice *choice;

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER)));
  if (current == NULL)
    {
      use_standard (self, role, standard, NULL);
      return;
    }
  if (current->standard_id == standard)
    return;
  choice = g_new0 (StandardChoice, 1);
  choice->self = g_object_ref (self);
  choice->role = g_strdup (role);
  choice->standard = standard;
  dialog = reason_dialog (self, _("Why Change the Standard?"),
                          _("The standard used so far stays in the record's history with the reason."),
                          _("_Keep the Standard"), "change", _("_Change"), ADW_RESPONSE_SUGGESTED, &choice->reason);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_standard_reason_response), choice,
                         (GClosureNotify) (void (*) (void)) standard_choice_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every standard of the lab: the usable ones to choose, the others greyed
 * with the reason they cannot be used (due on …, out of service …). */
static GtkWidget *
create_standard_chooser (CbRecordPage *self,
                         const char   *role)
{
  CbStore *store = cb_session_get_store (self->session);
  g_autoptr(GPtrArray) standards = cb_store_standard_list (store, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  g_object_set_data_full (G_OBJECT (list), "cb-role", g_strdup (role), g_free);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_standard_row_activated), self, 0);
  /* The usable ones first. */
  for (guint pass = 0; pass < 2 && standards != NULL; pass++)
    for (guint i = 0; i < standards->len; i++)
      {
        CbStandard *standard = g_ptr_array_index (standards, i);
        g_autoptr(GError) why = NULL;
        gboolean usable = cb_store_standard_check_usable (store, standard->id, NULL, &why) == CB_STANDARD_USABLE;
        g_autofree char *title = name_standard (standard);
        g_autofree char *subtitle = usable ? describe_standard (standard) : g_strdup (why->message);
        GtkWidget *row;

        if (usable != (pass == 0))
          continue;
        row = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), usable);
        gtk_widget_set_sensitive (row, usable);
        g_object_set_data (G_OBJECT (row), "cb-standard", GSIZE_TO_POINTER ((gsize) standard->id));
        gtk_list_box_append (GTK_LIST_BOX (list), row);
      }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  return scrolled;
}

/* One row per role of the template: the standard the record uses, and for
 * its performer a button to choose another. */
static GtkWidget *
create_standards_list (CbRecordPage *self,
                       CbTemplate   *tmpl)
{
  CbStore *store = cb_session_get_store (self->session);
  GtkWidget *list;

  if (cb_template_get_n_standards (tmpl) == 0)
    return NULL;
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < cb_template_get_n_standards (tmpl); i++)
    {
      const char *role = cb_template_get_standard_role (tmpl, i);
      g_autoptr(CbStandardUsage) usage = cb_store_record_standard (store, self->record_id, role, NULL);
      g_autoptr(CbStandard) standard = usage != NULL ? cb_store_standard_get (store, usage->standard_id, NULL) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cb_template_get_standard_label (tmpl, i));
      if (standard != NULL)
        {
          g_autofree char *name = name_standard (standard);
          g_autofree char *description = describe_standard (standard);
          g_autofree char *subtitle = g_strdup_printf ("%s — %s", name, description);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("No standard chosen yet"));
      if (self->editable)
        {
          GtkWidget *button = gtk_menu_button_new ();
          GtkWidget *popover = gtk_popover_new ();

          gtk_menu_button_set_label (GTK_MENU_BUTTON (button), standard != NULL ? _("Change…") : _("Choose…"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, _("Only standards usable today can be chosen; the others say why not"));
          gtk_popover_set_child (GTK_POPOVER (popover), create_standard_chooser (self, role));
          gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
          g_object_set_data_full (G_OBJECT (button), "cb-role", g_strdup (role), g_free);
          gtk_widget_add_css_class (button, "cb-standard-button");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return list;
}

/* The method's limits of a condition: "18 … 22 °C", "≤ 85 %RH". */
static char *
format_limits (const char *min,
               const char *max,
               const char *unit)
{
  if (min != NULL && max != NULL)
    return g_strdup_printf ("%s … %s %s", min, max, unit);
  if (min != NULL)
    return g_strdup_printf ("≥ %s %s", min, unit);
  if (max != NULL)
    return g_strdup_printf ("≤ %s %s", max, unit);
  return NULL;
}

/* The conditions the record has not stated yet, from the room's log of the
 * last hour, stored with the sensor as their source. */
static void
fill_environment_from_log (CbRecordPage *self)
{
  CbStore *store = cb_session_get_store (self->session);
  CbTemplate *tmpl = cb_record_get_template (self->record);
  const char *room = cb_session_get_room (self->session);
  g_autoptr(CbEnvironmentReading) reading = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autofree char *sensor = NULL;

  if (room == NULL || !self->editable)
    return;
  now = g_date_time_new_now_utc ();
  time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  reading = cb_store_environment_at (store, room, time, 60, NULL);
  if (reading == NULL)
    return;
  /* TRANSLATORS: the source of a logged value: "sensor TH-01 in 电学室" */
  sensor = g_strdup_printf (_("sensor %s in %s"), reading->sensor, reading->room);
  for (guint i = 0; i < cb_template_get_n_inputs (tmpl); i++)
    {
      const char *name = cb_template_get_input (tmpl, i, NULL, NULL);
      const char *value = NULL;
      CbReadingSource source = { 0 };
      g_autoptr(GError) error = NULL;
      CbCell cell;

      if (!cb_template_get_input_limits (tmpl, i, NULL, NULL, NULL)
          || !cb_record_get_cell (self->record, name, &cell, NULL) || cell.text != NULL)
        continue;
      if (g_str_equal (name, "temperature"))
        value = reading->temperature;
      else if (g_str_equal (name, "humidity"))
        value = reading->humidity;
      else if (g_str_equal (name, "pressure"))
        value = reading->pressure;
      if (value == NULL)
        continue;
      source.instrument = sensor;
      source.taken_at = reading->measured_at;
      if (!cb_store_record_enter (store, self->record_id, cb_session_get_staff_id (self->session), self->record,
                                  name, value, &source, NULL, &error))
        g_warning ("%s", error->message);
    }
}

static void
show_record (CbRecordPage *self)
{
  CbTemplate *tmpl = cb_record_get_template (self->record);
  g_autoptr(JsonNode) results = cb_record_results_to_json (self->record);
  JsonObject *blocks = json_object_get_object_member (json_node_get_object (results), "blocks");
  g_autofree char *subtitle = NULL;

  /* The cell being typed in goes: it is left first (and what it holds is
   * entered), as when the performer clicks elsewhere. */
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->blocks_box)))
      gtk_root_set_focus (root, NULL);
  }
  clear_box (GTK_WIDGET (self->header_box));
  clear_box (GTK_WIDGET (self->blocks_box));
  g_hash_table_remove_all (self->cells);
  g_hash_table_remove_all (self->tables);
  g_clear_pointer (&self->pending_focus, g_free);
  g_ptr_array_set_size (self->point_labels, 0);

  adw_window_title_set_title (self->window_title, cb_template_get_title (tmpl));
  subtitle = g_strdup_printf ("%s %s", cb_template_get_method_code (tmpl), cb_template_get_method_name (tmpl));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  for (guint i = 0; i < cb_template_get_n_header (tmpl); i++)
    {
      const char *name = cb_template_get_header_name (tmpl, i);

      gtk_flow_box_append (self->header_box,
                           create_header_field (cb_template_get_header_label (tmpl, i),
                                                cb_record_get_header (self->record, name)));
    }

  /* What the record takes from outside its points. */
  if (cb_template_get_n_inputs (tmpl) > 0 || cb_template_get_n_standards (tmpl) > 0)
    {
      GtkWidget *title = gtk_label_new (_("Conditions and Standards"));
      GtkWidget *grid = gtk_grid_new ();
      GtkWidget *standards = create_standards_list (self, tmpl);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "heading");
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
      gtk_widget_set_halign (grid, GTK_ALIGN_START);
      for (guint i = 0; i < cb_template_get_n_inputs (tmpl); i++)
        {
          const char *label = NULL;
          const char *unit = NULL;
          const char *name = cb_template_get_input (tmpl, i, &label, &unit);
          const char *min = NULL, *max = NULL;
          gboolean blocking = FALSE;
          GtkWidget *caption = gtk_label_new (label);
          GtkWidget *unit_label = gtk_label_new (g_strcmp0 (unit, "1") != 0 ? unit : "");
          CbCell cell;

          if (!cb_record_get_cell (self->record, name, &cell, NULL))
            continue;
          gtk_label_set_xalign (GTK_LABEL (caption), 0);
          gtk_label_set_xalign (GTK_LABEL (unit_label), 0);
          gtk_widget_add_css_class (caption, "dim-label");
          gtk_grid_attach (GTK_GRID (grid), caption, (int) (i % 2) * 4, (int) (i / 2), 1, 1);
          gtk_grid_attach (GTK_GRID (grid), create_cell_widget (self, name, &cell), (int) (i % 2) * 4 + 1, (int) (i / 2), 1, 1);
          gtk_grid_attach (GTK_GRID (grid), unit_label, (int) (i % 2) * 4 + 2, (int) (i / 2), 1, 1);
          if (cb_template_get_input_limits (tmpl, i, &min, &max, &blocking) && (min != NULL || max != NULL))
            {
              g_autofree char *limits = format_limits (min, max, unit);
              /* TRANSLATORS: %s is the range of a condition, "18 … 22 °C" */
              g_autofree char *tooltip = g_strdup_printf (blocking ? _("The method's limits: %s; outside them the record cannot be signed")
                                                                   : _("The method's limits: %s; outside them the record warns"),
                                                          limits);
              GtkWidget *limits_label = gtk_label_new (limits);

              gtk_widget_add_css_class (limits_label, "dim-label");
              gtk_widget_add_css_class (limits_label, "caption");
              gtk_widget_set_margin_end (limits_label, 18);
              gtk_widget_set_tooltip_text (limits_label, tooltip);
              gtk_grid_attach (GTK_GRID (grid), limits_label, (int) (i % 2) * 4 + 3, (int) (i / 2), 1, 1);
            }
        }
      gtk_box_append (self->blocks_box, title);
      if (standards != NULL)
        gtk_box_append (self->blocks_box, standards);
      gtk_box_append (self->blocks_box, grid);
      self->warnings_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->warnings_label, 0);
      gtk_label_set_wrap (self->warnings_label, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->warnings_label), "warning");
      gtk_box_append (self->blocks_box, GTK_WIDGET (self->warnings_label));
    }
  else
    self->warnings_label = NULL;

  for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
    gtk_box_append (self->blocks_box,
                    create_block (self, tmpl, b,
                                  json_object_get_array_member (blocks, cb_template_get_block_name (tmpl, b))));
  refresh_cells (self);
  gtk_stack_set_visible_child_name (self->stack, "record");
}

/* Overrides */

static void
cb_record_page_dispose (GObject *object)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_RECORD_PAGE);
  /* Children the template does not bind go too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_pointer (&self->record, cb_record_free);
  g_clear_pointer (&self->cells, g_hash_table_unref);
  g_clear_pointer (&self->tables, g_hash_table_unref);
  g_clear_pointer (&self->point_labels, g_ptr_array_unref);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->current_cell, g_free);
  g_clear_pointer (&self->pending_focus, g_free);
  if (self->procedure_cancellable != NULL)
    g_cancellable_cancel (self->procedure_cancellable);
  g_clear_object (&self->procedure_cancellable);
  g_clear_object (&self->procedure);

  G_OBJECT_CLASS (cb_record_page_parent_class)->dispose (object);
}

static void
cb_record_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_record_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CbRecordPage *self = CB_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_record_page_class_init (CbRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_record_page_dispose;
  object_class->get_property = cb_record_page_get_property;
  object_class->set_property = cb_record_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED] = g_signal_new ("signed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (CB_TYPE_INSTRUMENT_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, conclusion_label);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, header_box);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, blocks_box);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, sign_button);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, returned_label);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, return_button);
  gtk_widget_class_bind_template_callback (widget_class, on_return_clicked);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, acquire_button);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, instruments_button);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, instrument_panel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "record.toggle-instruments", NULL);
  gtk_widget_class_install_action (widget_class, "record.toggle-instruments", NULL, toggle_instruments_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_acquire_clicked);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, acquire_shortcut, NULL);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, certificate_button);
  gtk_widget_class_bind_template_callback (widget_class, on_certificate_clicked);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, print_record_button);
  gtk_widget_class_bind_template_callback (widget_class, on_print_record_clicked);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, procedure_bar);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, procedure_progress);
  gtk_widget_class_bind_template_child (widget_class, CbRecordPage, pause_button);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_clicked);
}

static void
cb_record_page_init (CbRecordPage *self)
{
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->point_labels = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
cb_record_page_set_session (CbRecordPage *self,
                            CbSession    *session)
{
  g_return_if_fail (CB_IS_RECORD_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  cb_instrument_panel_set_session (self->instrument_panel, session);
  g_clear_pointer (&self->record, cb_record_free);
  self->record_id = 0;
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

gboolean
cb_record_page_show_task (CbRecordPage  *self,
                          gint64         task_id,
                          GError       **error)
{
  g_autoptr(CbTask) task = NULL;
  CbStore *store;
  CbRecord *record;
  gint64 record_id;

  g_return_val_if_fail (CB_IS_RECORD_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  if (self->procedure != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("A procedure is measuring the open record: stop it before opening another"));
      return FALSE;
    }
  store = cb_session_get_store (self->session);
  task = cb_store_task_get (store, task_id, error);
  if (task == NULL)
    return FALSE;
  record_id = cb_store_record_find_for_task (store, task_id, error);
  if (record_id == 0)
    {
      g_autofree char *description = NULL;

      if (error != NULL && *error != NULL)
        return FALSE;
      g_clear_pointer (&self->record, cb_record_free);
      self->record_id = 0;
      adw_window_title_set_title (self->window_title, task->item);
      adw_window_title_set_subtitle (self->window_title, task->sample_label);
      adw_status_page_set_title (self->empty_status, _("No Record Yet"));
      /* TRANSLATORS: %s is a sample number */
      description = g_strdup_printf (_("The task of sample %s has no record started yet."),
                                     task->sample_label != NULL ? task->sample_label : "");
      adw_status_page_set_description (self->empty_status, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_set_visible (GTK_WIDGET (self->print_record_button), FALSE);
      return TRUE;
    }
  record = cb_store_record_load (store, record_id, error);
  if (record == NULL)
    return FALSE;
  g_clear_pointer (&self->record, cb_record_free);
  self->record = record;
  self->record_id = record_id;
  self->task_id = task_id;
  {
    g_autofree char *performer = cb_store_get_field (store, "records", record_id, "performer_id", NULL);
    g_autofree char *reason = cb_store_get_field (store, "records", record_id, "return_reason", NULL);

    g_free (self->state);
    self->state = cb_store_get_field (store, "records", record_id, "state", NULL);
    self->editable = performer != NULL && g_ascii_strtoll (performer, NULL, 10) == cb_session_get_staff_id (self->session)
                     && g_strcmp0 (self->state, "approved") != 0;
    self->performer = performer != NULL ? g_ascii_strtoll (performer, NULL, 10) : 0;
    update_actions (self, self->performer);
    /* The room is watched against the limits of the method measured here. */
    if (self->editable && cb_session_get_environment_logger (self->session) != NULL)
      cb_environment_logger_set_limits_from_template (cb_session_get_environment_logger (self->session),
                                                      cb_record_get_template (record));
    if (g_strcmp0 (self->state, "returned") == 0 && reason != NULL)
      {
        /* TRANSLATORS: %s is why the checker or approver returned the record */
        g_autofree char *text = g_strdup_printf (_("Returned to you: %s"), reason);

        gtk_label_set_text (self->returned_label, text);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->returned_label), g_strcmp0 (self->state, "returned") == 0);
  }
  fill_environment_from_log (self);
  show_record (self);
  gtk_widget_set_visible (GTK_WIDGET (self->print_record_button), TRUE);
  if (task->sample_label != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", task->sample_label,
                                                   adw_window_title_get_subtitle (self->window_title));

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  return TRUE;
}

gint64
cb_record_page_get_task (CbRecordPage *self)
{
  g_return_val_if_fail (CB_IS_RECORD_PAGE (self), 0);

  return self->record_id != 0 ? self->task_id : 0;
}

gint64
cb_record_page_get_record (CbRecordPage *self)
{
  g_return_val_if_fail (CB_IS_RECORD_PAGE (self), 0);

  return self->record_id;
}
