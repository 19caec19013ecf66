/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-tasks-page.h"
#include "store/cb-store-samples.h"
#include "store/cb-store-tasks.h"

struct _CbTasksPage
{
  GtkWidget        parent_instance;

  /* Template children */
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkSearchEntry  *scan_entry;
  GtkFlowBox      *counts;
  GtkListBox      *task_list;
  GtkLabel        *empty_label;   /* the list's placeholder */
  GtkLabel        *sign_heading;
  GtkListBox      *sign_list;

  CbSession       *session;
  gboolean         folded;
};

G_DEFINE_FINAL_TYPE (CbTasksPage, cb_tasks_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum {
  OPEN_TASK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

static const char *
state_title (const char *state)
{
  if (g_strcmp0 (state, "to-measure") == 0)
    return _("To measure");
  if (g_strcmp0 (state, "measuring") == 0)
    return _("Measuring");
  if (g_strcmp0 (state, "to-check") == 0)
    return _("To check");
  if (g_strcmp0 (state, "to-approve") == 0)
    return _("To approve");
  if (g_strcmp0 (state, "returned") == 0)
    return _("Returned");
  if (g_strcmp0 (state, "approved") == 0)
    return _("Approved");
  if (g_strcmp0 (state, "cancelled") == 0)
    return _("Cancelled");
  return state;
}

static GtkWidget *
create_count_tile (guint       count,
                   const char *caption,
                   const char *style)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *number = g_strdup_printf ("%u", count);
  GtkWidget *value = gtk_label_new (number);
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "cb-count-tile");
  gtk_widget_add_css_class (value, "cb-count-number");
  if (style != NULL && count > 0)
    gtk_widget_add_css_class (value, style);
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static GtkWidget *
create_task_row (const CbTask *task)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s  %s", task->sample_label != NULL ? task->sample_label : "", task->item);
  /* TRANSLATORS: a task's due date and state, "due 2026-11-30 · To measure" */
  g_autofree char *subtitle = g_strdup_printf (_("due %s · %s"), task->due != NULL ? task->due : "—",
                                               state_title (task->state));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "cb-task-id", g_memdup2 (&task->id, sizeof task->id), g_free);
  return row;
}

static void
show_toast (CbTasksPage *self,
            const char  *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Callbacks */

static void
on_scan_activated (CbTasksPage *self)
{
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->scan_entry))));

  if (*label == '\0')
    return;
  if (cb_tasks_page_open_sample (self, label))
    gtk_editable_set_text (GTK_EDITABLE (self->scan_entry), "");
  else
    gtk_editable_select_region (GTK_EDITABLE (self->scan_entry), 0, -1);
}

static void
on_task_activated (CbTasksPage   *self,
                   GtkListBoxRow *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "cb-task-id");

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_TASK], 0, *id);
}

/* Overrides */

static void
cb_tasks_page_dispose (GObject *object)
{
  CbTasksPage *self = CB_TASKS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_TASKS_PAGE);
  /* Children the template does not bind go too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cb_tasks_page_parent_class)->dispose (object);
}

static void
cb_tasks_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CbTasksPage *self = CB_TASKS_PAGE (object);

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
cb_tasks_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CbTasksPage *self = CB_TASKS_PAGE (object);

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
cb_tasks_page_class_init (CbTasksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_tasks_page_dispose;
  object_class->get_property = cb_tasks_page_get_property;
  object_class->set_property = cb_tasks_page_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_TASK] = g_signal_new ("open-task", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-tasks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, scan_entry);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, counts);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, task_list);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, sign_heading);
  gtk_widget_class_bind_template_child (widget_class, CbTasksPage, sign_list);
  gtk_widget_class_bind_template_callback (widget_class, on_scan_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_task_activated);
}

static void
cb_tasks_page_init (CbTasksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
cb_tasks_page_set_session (CbTasksPage *self,
                           CbSession   *session)
{
  g_return_if_fail (CB_IS_TASKS_PAGE (self));

  if (g_set_object (&self->session, session))
    cb_tasks_page_reload (self);
}

void
cb_tasks_page_reload (CbTasksPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  CbMyTasks mine = { 0 };
  CbStore *store;
  gint64 staff;
  GtkWidget *child;
  GtkListBoxRow *row;

  g_return_if_fail (CB_IS_TASKS_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->counts))) != NULL)
    gtk_flow_box_remove (self->counts, child);
  /* The rows only: the list's placeholder says when it is empty. */
  while ((row = gtk_list_box_get_row_at_index (self->task_list, 0)) != NULL)
    gtk_list_box_remove (self->task_list, GTK_WIDGET (row));
  while ((row = gtk_list_box_get_row_at_index (self->sign_list, 0)) != NULL)
    gtk_list_box_remove (self->sign_list, GTK_WIDGET (row));

  if (self->session == NULL || !cb_session_get_logged_in (self->session))
    return;
  store = cb_session_get_store (self->session);
  staff = cb_session_get_staff_id (self->session);
  /* Who is working (the room's conditions are in the sidebar, on every page). */
  adw_window_title_set_subtitle (self->window_title, cb_session_get_staff_name (self->session));

  if (!cb_store_my_tasks (store, staff, NULL, &mine, &error))
    {
      show_toast (self, error->message);
      return;
    }
  gtk_flow_box_append (self->counts, create_count_tile (mine.to_measure, _("To measure"), NULL));
  gtk_flow_box_append (self->counts, create_count_tile (mine.returned, _("Returned to me"), "warning"));
  gtk_flow_box_append (self->counts, create_count_tile (mine.to_check, _("To check"), NULL));
  gtk_flow_box_append (self->counts, create_count_tile (mine.to_approve, _("To approve"), NULL));
  gtk_flow_box_append (self->counts, create_count_tile (mine.overdue, _("Overdue"), "error"));
  gtk_flow_box_append (self->counts, create_count_tile (mine.due_this_week, _("Due this week"), NULL));

  tasks = cb_store_task_list_for_staff (store, staff, NULL, &error);
  if (tasks == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < tasks->len; i++)
    {
      CbTask *task = g_ptr_array_index (tasks, i);

      if (g_strcmp0 (task->state, "approved") == 0 || g_strcmp0 (task->state, "cancelled") == 0)
        continue;
      gtk_list_box_append (self->task_list, create_task_row (task));
    }

  /* Checks and approvals that wait for me. */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GPtrArray) waiting = cb_store_task_list_to_sign (store, staff, k == 0 ? "check" : "approve", &error);

      if (waiting == NULL)
        {
          show_toast (self, error->message);
          return;
        }
      for (guint i = 0; i < waiting->len; i++)
        gtk_list_box_append (self->sign_list, create_task_row (g_ptr_array_index (waiting, i)));
    }
  {
    gboolean any = gtk_list_box_get_row_at_index (self->sign_list, 0) != NULL;

    gtk_widget_set_visible (GTK_WIDGET (self->sign_list), any);
    gtk_widget_set_visible (GTK_WIDGET (self->sign_heading), any);
  }
}

gboolean
cb_tasks_page_open_sample (CbTasksPage *self,
                           const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  CbStore *store;
  gint64 sample, task;

  g_return_val_if_fail (CB_IS_TASKS_PAGE (self), FALSE);

  if (self->session == NULL)
    return FALSE;
  store = cb_session_get_store (self->session);
  sample = cb_store_sample_find (store, label, &error);
  if (sample == 0)
    {
      /* TRANSLATORS: %s is what was scanned or typed */
      message = error != NULL ? g_strdup (error->message) : g_strdup_printf (_("No sample numbered “%s”"), label);
      show_toast (self, message);
      return FALSE;
    }
  task = cb_store_task_find_for_sample (store, sample, &error);
  if (task == 0)
    {
      message = error != NULL ? g_strdup (error->message) : g_strdup_printf (_("Sample %s has no open task"), label);
      show_toast (self, message);
      return FALSE;
    }
  g_signal_emit (self, signals[OPEN_TASK], 0, task);
  return TRUE;
}

void
cb_tasks_page_show_message (CbTasksPage *self,
                            const char  *message)
{
  g_return_if_fail (CB_IS_TASKS_PAGE (self));

  show_toast (self, message);
}
