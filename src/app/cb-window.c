/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cb-calculator-page.h"
#include "cb-login-page.h"
#include "cb-preferences-window.h"
#include "cb-record-page.h"
#include "cb-tasks-page.h"
#include "cb-window.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-records.h"
#include "store/cb-store-tasks.h"

/* Frames to let pass after showing a page before it is saved: one to lay it
 * out, one to draw it, one to spare for what the first draw queued. */
#define SCREENSHOT_FRAMES 3
/* Enough for a revealer's slide (250 ms) at 60 frames a second. */
#define SCREENSHOT_SLIDE_FRAMES 30
/* How long a page may take to be drawn at all (ten seconds at 60 Hz). */
#define SCREENSHOT_MAX_FRAMES 600

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  GtkStack             *shell;
  CbLoginPage          *login_page;
  CbTasksPage          *tasks_page;
  CbRecordPage         *record_page;
  GtkStackPage         *tasks_stack_page;
  GtkStackPage         *record_stack_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_pane;
  GtkListBox           *sidebar;
  AdwWindowTitle       *sidebar_title;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkLabel             *environment_label;
  GtkImage             *environment_icon;
  GtkStack             *stack;
  CbCalculatorPage     *calculator_page;

  GSettings            *settings;
  CbSession            *session;
  gboolean              restore;
  gint64                locked_task;  /* open when the workstation was locked */
  guint                 environment_timer;
  char                 *environment_alarm;  /* the room's last alarm, while it holds */
};

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_RESTORE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A screenshot run: which page comes next, and what was written. */
typedef struct
{
  char   *directory;
  char   *language;
  GStrv   pages;
  guint   index;
  guint   frames;
  guint   written;
} ScreenshotJob;

static void take_next_screenshot (GTask *task);
static void open_task            (CbWindow *self,
                                  gint64    task_id);

/* Helpers */

static void
screenshot_job_free (gpointer data)
{
  ScreenshotJob *job = data;

  g_free (job->directory);
  g_free (job->language);
  g_strfreev (job->pages);
  g_free (job);
}

static GtkWidget *
create_sidebar_row (GtkStackPage *page)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page));
  GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The row is found again by the page it stands for. */
  gtk_widget_set_name (row, gtk_stack_page_get_name (page));
  return row;
}

static void
populate_sidebar (CbWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL;)
    gtk_list_box_remove (self->sidebar, row);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);

      if (gtk_stack_page_get_visible (page))
        gtk_list_box_append (self->sidebar, create_sidebar_row (page));
    }
}

static void
select_sidebar_row (CbWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
}

/* Where this bench stands with the lab server: a few words in the sidebar,
 * the whole story in the tooltip. */
static void
update_sync_state (CbWindow *self)
{
  CbSyncClient *sync = self->session != NULL ? cb_session_get_sync_client (self->session) : NULL;
  g_autofree char *text = NULL;
  const char *tooltip;
  const char *icon;
  gint64 pending;

  if (sync == NULL)
    {
      gtk_image_set_from_icon_name (self->sync_icon, "network-offline-symbolic");
      gtk_label_set_text (self->sync_label, _("Not syncing"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label),
                                   _("No lab server is set in Preferences: this bench keeps its work on its own"));
      return;
    }
  pending = cb_sync_client_get_pending (sync);
  switch (cb_sync_client_get_state (sync))
    {
    case CB_SYNC_STATE_SYNCED:
      icon = "emblem-ok-symbolic";
      text = g_strdup (_("Synced"));
      tooltip = _("Everything done here has reached the lab server");
      break;
    case CB_SYNC_STATE_PENDING:
      icon = "emblem-synchronizing-symbolic";
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld change to send", "%lld changes to send",
                                           (gulong) pending), (long long) pending);
      tooltip = _("Changes made here are on their way to the lab server");
      break;
    case CB_SYNC_STATE_CONFLICT:
      icon = "dialog-warning-symbolic";
      text = g_strdup (_("Conflict"));
      tooltip = _("The lab server kept a change of this bench as a conflict: an administrator must resolve it");
      break;
    case CB_SYNC_STATE_OFFLINE:
    default:
      icon = "network-offline-symbolic";
      text = pending > 0
             ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline: %lld change kept here",
                                             "Offline: %lld changes kept here", (gulong) pending),
                                (long long) pending)
             : g_strdup (_("Offline"));
      tooltip = _("The lab server cannot be reached; the work stays here and is sent when it can be");
      break;
    }
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  gtk_label_set_text (self->sync_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), tooltip);
}

/* The room's conditions now: the environment log's last reading of the
 * hour, with its sensor and time. */
static void
update_environment (CbWindow *self)
{
  const char *room = self->session != NULL ? cb_session_get_room (self->session) : NULL;
  g_autoptr(CbEnvironmentReading) reading = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *tooltip = NULL;

  if (room != NULL && cb_session_get_logged_in (self->session))
    reading = cb_store_environment_at (cb_session_get_store (self->session), room, time, 60, NULL);
  if (reading != NULL)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (reading->measured_at, NULL);
      g_autoptr(GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;
      g_autofree char *clock = local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup (reading->measured_at);

      if (reading->temperature != NULL)
        g_string_append_printf (text, "%s °C", reading->temperature);
      if (reading->humidity != NULL)
        g_string_append_printf (text, "%s%s %%RH", text->len > 0 ? " · " : "", reading->humidity);
      if (reading->pressure != NULL)
        g_string_append_printf (text, "%s%s kPa", text->len > 0 ? " · " : "", reading->pressure);
      /* TRANSLATORS: where a room's conditions come from: a sensor, and the time it logged them */
      tooltip = g_strdup_printf (_("Logged by %s at %s"), reading->sensor, clock);
    }
  else if (room != NULL)
    {
      g_string_append (text, _("No conditions logged"));
      tooltip = g_strdup (_("The environment log has nothing from this room in the last hour"));
    }
  /* Outside the limits of the method in use: marked until a reading is
   * back within them. */
  if (self->environment_alarm != NULL && reading != NULL)
    {
      g_autofree char *with_alarm = g_strdup_printf ("%s\n%s", self->environment_alarm, tooltip);

      g_free (tooltip);
      tooltip = g_steal_pointer (&with_alarm);
    }
  gtk_image_set_from_icon_name (self->environment_icon, self->environment_alarm != NULL && reading != NULL
                                ? "dialog-warning-symbolic" : "weather-few-clouds-symbolic");
  if (self->environment_alarm != NULL && reading != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->environment_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->environment_icon), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->environment_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->environment_icon), "error");
    }
  gtk_label_set_text (self->environment_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->environment_label), tooltip);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->environment_label)), text->len > 0);
}

/* A reading of the room's sensor is in the log. */
static void
on_environment_logged (CbWindow *self)
{
  update_environment (self);
}

/* Back within the limits (a reading, or the limits of another method). */
static void
on_environment_alarmed (CbWindow *self)
{
  if (cb_environment_logger_get_alarmed (cb_session_get_environment_logger (self->session)))
    return;
  g_clear_pointer (&self->environment_alarm, g_free);
  update_environment (self);
}

/* The room left the limits of the method in use: marked in the sidebar,
 * and a notification for whoever is not looking at it. */
static void
on_environment_alarm (CbEnvironmentLogger *logger,
                      int                  quantity,
                      double               value,
                      double               min,
                      double               max,
                      const char          *message,
                      CbWindow            *self)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  g_free (self->environment_alarm);
  self->environment_alarm = g_strdup (message);
  update_environment (self);
  /* Notifications go over the session bus; without one the sidebar says it. */
  if (application != NULL && g_application_get_is_registered (application)
      && g_application_get_dbus_connection (application) != NULL)
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Room Conditions Outside Their Limits"));

      g_notification_set_body (notification, message);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_application_send_notification (application, "environment-alarm", notification);
    }
}

/* The preferences set another interval: the room is read at it from now. */
static void
on_environment_interval_changed (CbWindow *self)
{
  cb_environment_logger_start (cb_session_get_environment_logger (self->session),
                               g_settings_get_uint (self->settings, "environment-interval"));
}

static gboolean
on_environment_timer (gpointer data)
{
  update_environment (data);
  return G_SOURCE_CONTINUE;
}

/* The pages the logged-in person's roles open, and who and where in the
 * sidebar's title. */
static void
apply_roles (CbWindow *self)
{
  gboolean bench = cb_session_has_role (self->session, "metrologist")
                   || cb_session_has_role (self->session, "checker")
                   || cb_session_has_role (self->session, "approver");
  const char *room = cb_session_get_room (self->session);
  g_autofree char *subtitle = NULL;

  gtk_stack_page_set_visible (self->tasks_stack_page, bench);
  gtk_stack_page_set_visible (self->record_stack_page, bench);
  populate_sidebar (self);
  subtitle = room != NULL ? g_strdup_printf ("%s · %s", cb_session_get_staff_name (self->session), room)
                          : g_strdup (cb_session_get_staff_name (self->session));
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
  update_environment (self);
}

/* Shows the login page while nobody is logged in, the pages after. */
static void
update_shell (CbWindow *self)
{
  gboolean logged_in = self->session == NULL || cb_session_get_logged_in (self->session);

  gtk_stack_set_visible_child_name (self->shell, logged_in ? "main" : "login");
  if (self->session != NULL && logged_in)
    {
      const char *locked_by = cb_login_page_get_locked (self->login_page);
      gint64 task = self->locked_task;

      apply_roles (self);
      cb_tasks_page_reload (self->tasks_page);
      gtk_stack_set_visible_child_name (self->stack, gtk_stack_page_get_visible (self->tasks_stack_page)
                                                     ? "tasks" : "calculator");
      /* Back after a lock: where the same person left off. */
      if (task != 0 && g_strcmp0 (locked_by, cb_session_get_login (self->session)) == 0)
        open_task (self, task);
      self->locked_task = 0;
      cb_login_page_set_locked (self->login_page, NULL, NULL);
    }
  else if (self->session != NULL)
    {
      cb_record_page_set_session (self->record_page, NULL);
      cb_record_page_set_session (self->record_page, self->session);
      cb_login_page_reset (self->login_page);
    }
}

static void
on_session_logged_in (CbWindow *self)
{
  update_shell (self);
}

static void
open_task (CbWindow *self,
           gint64    task_id)
{
  g_autoptr(GError) error = NULL;

  if (!cb_record_page_show_task (self->record_page, task_id, &error))
    {
      cb_tasks_page_show_message (self->tasks_page, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "record");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
}

/* For screenshots: the first of my tasks that has a record, else the first
 * record waiting for my signature. */
static void
open_first_record (CbWindow *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  CbStore *store;

  if (self->session == NULL || !cb_session_get_logged_in (self->session)
      || cb_record_page_get_record (self->record_page) != 0)
    return;
  store = cb_session_get_store (self->session);
  tasks = cb_store_task_list_for_staff (store, cb_session_get_staff_id (self->session), NULL, NULL);
  /* One still being measured first: it shows the cells to type into. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; tasks != NULL && i < tasks->len; i++)
      {
        CbTask *task = g_ptr_array_index (tasks, i);
        gboolean open = g_strcmp0 (task->state, "measuring") == 0 || g_strcmp0 (task->state, "returned") == 0;

        if ((pass == 1 || open) && cb_store_record_find_for_task (store, task->id, NULL) != 0)
          {
            cb_record_page_show_task (self->record_page, task->id, NULL);
            return;
          }
      }
  /* A checker's or an approver's: the first waiting for their signature. */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GPtrArray) waiting = cb_store_task_list_to_sign (store, cb_session_get_staff_id (self->session),
                                                                 k == 0 ? "check" : "approve", NULL);

      if (waiting != NULL && waiting->len > 0)
        {
          cb_record_page_show_task (self->record_page, ((CbTask *) g_ptr_array_index (waiting, 0))->id, NULL);
          return;
        }
    }
}

static void
restore_state (CbWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL || !self->restore)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_state (CbWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL || !self->restore)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* A maximized window keeps the size to come back to. */
  if (maximized)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
open_last_budget (CbWindow *self)
{
  g_autofree char *last = NULL;
  g_autoptr(GFile) file = NULL;

  if (self->settings == NULL || !self->restore)
    return;

  last = g_settings_get_string (self->settings, "last-budget");
  if (last == NULL || *last == '\0')
    return;
  file = g_file_new_for_commandline_arg (last);
  /* A file since moved away is not worth an error at start. */
  if (g_file_is_native (file) && !g_file_query_exists (file, NULL))
    return;
  cb_calculator_page_open (self->calculator_page, file);
}

static gboolean
save_png (GtkWidget   *widget,
          const char  *path,
          GError     **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  if (width <= 0 || height <= 0 || gtk_widget_get_native (widget) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("the window is not shown, so there is nothing to save"));
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  if (node == NULL || renderer == NULL)
    {
      /* Not drawn yet (a busy display): PENDING, to try again. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("the window drew nothing"));
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (texture == NULL || !gdk_texture_save_to_png (texture, path))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("could not write %s"), shown);
      return FALSE;
    }
  return TRUE;
}

/* Callbacks */

static void
on_folded_changed (CbWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))) != NULL;)
    gtk_list_box_remove (self->sidebar, row);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      GtkWidget *child = gtk_stack_page_get_child (page);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "folded") != NULL)
        g_object_set (child, "folded", folded, NULL);
    }
}

static void
on_sidebar_row_activated (CbWindow      *self,
                          GtkListBoxRow *row)
{
  gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->stack));
}

static void
on_visible_page_changed (CbWindow *self)
{
  select_sidebar_row (self);
}

static gboolean
on_screenshot_tick (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  GTask *task = user_data;
  ScreenshotJob *job = g_task_get_task_data (task);
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  /* The instrument panel slides in: the picture once it is in place. */
  if (++job->frames < (g_str_equal (job->pages[job->index], "instruments") ? SCREENSHOT_SLIDE_FRAMES : SCREENSHOT_FRAMES))
    return G_SOURCE_CONTINUE;

  basename = g_strdup_printf ("%s-%s.png", job->pages[job->index], job->language);
  path = g_build_filename (job->directory, basename, NULL);
  if (!save_png (widget, path, &error))
    {
      /* A frame whose drawing has not come yet: the next one, for a while. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING) && job->frames < SCREENSHOT_MAX_FRAMES)
        return G_SOURCE_CONTINUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  job->written++;
  job->index++;
  take_next_screenshot (task);
  return G_SOURCE_REMOVE;
}

static void
take_next_screenshot (GTask *task)
{
  CbWindow *self = g_task_get_source_object (task);
  ScreenshotJob *job = g_task_get_task_data (task);

  if (job->pages[job->index] == NULL)
    {
      g_task_return_int (task, job->written);
      return;
    }

  job->frames = 0;
  if (g_str_equal (job->pages[job->index], "login"))
    gtk_stack_set_visible_child_name (self->shell, "login");
  else
    {
      gboolean instruments = g_str_equal (job->pages[job->index], "instruments");

      gtk_stack_set_visible_child_name (self->shell, "main");
      if (instruments || g_str_equal (job->pages[job->index], "record"))
        open_first_record (self);
      gtk_stack_set_visible_child_name (self->stack, instruments ? "record" : job->pages[job->index]);
      if (instruments)
        gtk_widget_activate_action (GTK_WIDGET (self->record_page), "record.toggle-instruments", NULL);
    }
  gtk_widget_add_tick_callback (GTK_WIDGET (self), on_screenshot_tick,
                                g_object_ref (task), g_object_unref);
}

static void
on_open_task (CbWindow *self,
              gint64    task_id)
{
  open_task (self, task_id);
}

/* Actions */

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->settings == NULL)
    return;
  gtk_window_present (GTK_WINDOW (cb_preferences_window_new (GTK_WINDOW (self), self->settings)));
}

static void
logout_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->session == NULL)
    return;
  self->locked_task = 0;
  cb_login_page_set_locked (self->login_page, NULL, NULL);
  cb_session_logout (self->session);
}

/* Stepping away: nobody is logged in meanwhile; the same person's password
 * brings back the record that was open. */
static void
lock_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->session == NULL || !cb_session_get_logged_in (self->session))
    return;
  self->locked_task = cb_record_page_get_task (self->record_page);
  cb_login_page_set_locked (self->login_page, cb_session_get_login (self->session),
                            cb_session_get_staff_name (self->session));
  cb_session_logout (self->session);
}


static void
show_sidebar_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_pane);
}

/* Overrides */

static gboolean
cb_window_close_request (GtkWindow *window)
{
  save_state (CB_WINDOW (window));

  return GTK_WINDOW_CLASS (cb_window_parent_class)->close_request (window);
}

static void
cb_window_constructed (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  G_OBJECT_CLASS (cb_window_parent_class)->constructed (object);

  g_object_set (self->calculator_page, "settings", self->settings, NULL);
  gtk_stack_page_set_visible (self->tasks_stack_page, self->session != NULL);
  gtk_stack_page_set_visible (self->record_stack_page, self->session != NULL);
  if (self->session != NULL)
    {
      cb_login_page_set_session (self->login_page, self->session);
      cb_tasks_page_set_session (self->tasks_page, self->session);
      cb_record_page_set_session (self->record_page, self->session);
      g_signal_connect_object (self->session, "notify::logged-in", G_CALLBACK (on_session_logged_in), self,
                               G_CONNECT_SWAPPED);
      if (cb_session_get_sync_client (self->session) != NULL)
        {
          g_signal_connect_object (cb_session_get_sync_client (self->session), "notify::state",
                                   G_CALLBACK (update_sync_state), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (cb_session_get_sync_client (self->session), "notify::pending",
                                   G_CALLBACK (update_sync_state), self, G_CONNECT_SWAPPED);
        }
      if (cb_session_get_environment_logger (self->session) != NULL)
        {
          g_signal_connect_object (cb_session_get_environment_logger (self->session), "logged",
                                   G_CALLBACK (on_environment_logged), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (cb_session_get_environment_logger (self->session), "alarm",
                                   G_CALLBACK (on_environment_alarm), self, 0);
          g_signal_connect_object (cb_session_get_environment_logger (self->session), "notify::alarmed",
                                   G_CALLBACK (on_environment_alarmed), self, G_CONNECT_SWAPPED);
          if (self->settings != NULL)
            g_signal_connect_object (self->settings, "changed::environment-interval",
                                     G_CALLBACK (on_environment_interval_changed), self, G_CONNECT_SWAPPED);
        }
      /* A signed record leaves my list of things to measure. */
      g_signal_connect_object (self->record_page, "signed", G_CALLBACK (cb_tasks_page_reload), self->tasks_page,
                               G_CONNECT_SWAPPED);
    }
  populate_sidebar (self);
  select_sidebar_row (self);
  update_sync_state (self);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sync_label)), self->session != NULL);
  update_environment (self);
  /* The log gains a reading every few minutes. */
  if (self->session != NULL && self->environment_timer == 0)
    self->environment_timer = g_timeout_add_seconds (60, on_environment_timer, self);
  update_shell (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", self->settings != NULL);
  restore_state (self);
  open_last_budget (self);
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  g_clear_handle_id (&self->environment_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_pointer (&self->environment_alarm, g_free);

  G_OBJECT_CLASS (cb_window_parent_class)->dispose (object);
}

static void
cb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_RESTORE:
      g_value_set_boolean (value, self->restore);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_RESTORE:
      self->restore = g_value_get_boolean (value);
      break;
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_class_init (CbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cb_window_constructed;
  object_class->dispose = cb_window_dispose;
  object_class->get_property = cb_window_get_property;
  object_class->set_property = cb_window_set_property;
  window_class->close_request = cb_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTORE] =
    g_param_spec_boolean ("restore", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_CALCULATOR_PAGE);
  g_type_ensure (CB_TYPE_LOGIN_PAGE);
  g_type_ensure (CB_TYPE_TASKS_PAGE);
  g_type_ensure (CB_TYPE_RECORD_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, shell);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, tasks_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, record_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, tasks_stack_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, record_stack_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, environment_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, environment_icon);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, calculator_page);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_open_task);

  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_activated);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_activated);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.lock", NULL);
}

static void
cb_window_init (CbWindow *self)
{
  self->restore = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  on_folded_changed (self);
}

/* Public API */

CbWindow *
cb_window_new (GtkApplication *application,
               GSettings      *settings,
               CbSession      *session,
               gboolean        restore)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CB_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "session", session,
                       "restore", restore,
                       NULL);
}

static gboolean
has_instruments (CbSession *session)
{
  static const char * const roles[] = { "calibrator", "uut", "pressure", "sensor" };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (cb_session_get_instrument_port (session, roles[i]) != NULL)
      return TRUE;
  return FALSE;
}

GStrv
cb_window_dup_page_names (CbWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  if (self->session != NULL)
    g_strv_builder_add (names, "login");
  pages = gtk_stack_get_pages (self->stack);
  n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkStackPage *page = GTK_STACK_PAGE (item);

      if (gtk_stack_page_get_visible (page))
        g_strv_builder_add (names, gtk_stack_page_get_name (page));
      /* The record again with its instrument panel, on a bench that has
       * instruments. */
      if (gtk_stack_page_get_visible (page) && g_str_equal (gtk_stack_page_get_name (page), "record")
          && self->session != NULL && has_instruments (self->session))
        g_strv_builder_add (names, "instruments");
    }
  return g_strv_builder_end (names);
}

void
cb_window_take_screenshots_async (CbWindow            *self,
                                  const char          *directory,
                                  const char          *language,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScreenshotJob *job;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (directory != NULL);
  g_return_if_fail (language != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_window_take_screenshots_async);

  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *shown = g_filename_display_name (directory);

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder %s: %s"), shown,
                               g_strerror (saved_errno));
      return;
    }

  job = g_new0 (ScreenshotJob, 1);
  job->directory = g_strdup (directory);
  job->language = g_strdup (language);
  job->pages = cb_window_dup_page_names (self);
  g_task_set_task_data (task, job, screenshot_job_free);

  /* Each page is saved as it rests, not half faded in. */
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  take_next_screenshot (task);
}

guint
cb_window_take_screenshots_finish (CbWindow      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  gssize written;

  g_return_val_if_fail (CB_IS_WINDOW (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  written = g_task_propagate_int (G_TASK (result), error);
  return written > 0 ? (guint) written : 0;
}
