/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-application.h"
#include "cb-session.h"
#include "cb-window.h"
#include "core/cb-i18n.h"
#include "store/cb-store-demo.h"

#define SCREENSHOT_WIDTH  1280
#define SCREENSHOT_HEIGHT 800

struct _CbApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  gboolean        settings_looked_up;
  char           *screenshot_dir;
  char           *database;
  char           *demo_login;
  char           *calibrator_port;
  char           *multimeter_port;
  char           *sensor_port;
  char           *server_url;
  char           *server_ca;
  char           *room;
  CbSession      *session;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save every page, drawn at 1280×800, as DIR/PAGE-LANGUAGE.png, and quit"), N_("DIR") },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Work on the lab database FILE (the workstation's own SQLite store)"), N_("FILE") },
  { "calibrator", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The multifunction calibrator's port for this run (else the one in Preferences)"), N_("PORT") },
  { "multimeter", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The multimeter's port for this run (else the one in Preferences)"), N_("PORT") },
  { "sensor", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The room's temperature and humidity sensor for this run, logged in the background (else the one in Preferences)"), N_("PORT") },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sync with the lab server at URL for this run (else the one in Preferences)"), N_("URL") },
  { "server-ca", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Trust the server certificate in FILE (PEM)"), N_("FILE") },
  { "room", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The room this bench stands in, for its environment (else the one in Preferences)"), N_("ROOM") },
  { "demo-login", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Log in as LOGIN of a demo lab (calbench-cli demo init) with the demo password"), N_("LOGIN") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

/* Helpers */

static GSettings *
ensure_settings (CbApplication *self)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings_looked_up)
    return self->settings;
  self->settings_looked_up = TRUE;

  /* g_settings_new() aborts on a missing schema; a workstation should
   * still start, only without remembering anything. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("calbench: the settings schema %s is not installed; "
                    "window size and the last file will not be kept\n"),
                  APPLICATION_ID);
      return NULL;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  return self->settings;
}

/* Callbacks */

static void
on_screenshots_taken (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CbApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_filename_display_name (self->screenshot_dir);
  guint written;

  written = cb_window_take_screenshots_finish (CB_WINDOW (source_object), result, &error);
  if (error != NULL)
    {
      g_printerr (_("calbench: screenshots: %s\n"), error->message);
      self->exit_status = 1;
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u page saved in %s\n", "%u pages saved in %s\n", written),
               written, shown);
    }

  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

/* Actions */

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  AdwAboutWindow *about = ADW_ABOUT_WINDOW (adw_about_window_new ());

  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (application));
  adw_about_window_set_application_name (about, _("Calbench"));
  adw_about_window_set_application_icon (about, APPLICATION_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Calbench developers"));
  adw_about_window_set_comments (about,
                                 _("A workstation for calibration and legal-metrology laboratories: "
                                   "records, uncertainty, rounding and conformity, and certificates anyone can verify."));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  /* TRANSLATORS: your names, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  { "about", about_activated, NULL, NULL, NULL, { 0 } },
};

/* Overrides */

static int
cb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CbApplication *self = CB_APPLICATION (application);
  const char *directory = NULL;
  GSettings *settings;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("calbench %s\n", PACKAGE_VERSION);
      return 0;
    }

  {
    const char *database = NULL;
    const char *login = NULL;

    if (g_variant_dict_lookup (options, "db", "^&ay", &database))
      {
        g_free (self->database);
        self->database = g_strdup (database);
      }
    if (g_variant_dict_lookup (options, "calibrator", "&s", &login))
      self->calibrator_port = g_strdup (login);
    if (g_variant_dict_lookup (options, "multimeter", "&s", &login))
      self->multimeter_port = g_strdup (login);
    login = NULL;
    if (g_variant_dict_lookup (options, "sensor", "&s", &login))
      self->sensor_port = g_strdup (login);
    login = NULL;
    if (g_variant_dict_lookup (options, "room", "&s", &login))
      self->room = g_strdup (login);
    login = NULL;
    if (g_variant_dict_lookup (options, "server", "&s", &login))
      self->server_url = g_strdup (login);
    database = NULL;
    if (g_variant_dict_lookup (options, "server-ca", "^&ay", &database))
      self->server_ca = g_strdup (database);
    login = NULL;
    if (g_variant_dict_lookup (options, "demo-login", "&s", &login))
      {
        g_free (self->demo_login);
        self->demo_login = g_strdup (login);
      }
    if (self->database == NULL && g_getenv ("CALBENCH_DB") != NULL)
      self->database = g_strdup (g_getenv ("CALBENCH_DB"));
  }

  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &directory))
    {
      g_free (self->screenshot_dir);
      self->screenshot_dir = g_strdup (directory);
      /* A one-off run: no hand-over to an instance already running. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  /* Before GTK starts, so that its own strings follow too. */
  settings = ensure_settings (self);
  if (settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (settings, "language");

      if (*language != '\0')
        {
          cb_i18n_set_language (language);
        }
    }

  return G_APPLICATION_CLASS (cb_application_parent_class)->handle_local_options (application, options);
}

static void
cb_application_startup (GApplication *application)
{
  static const char * const quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
present_window (CbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  gboolean screenshots = self->screenshot_dir != NULL;

  if (window == NULL)
    window = GTK_WINDOW (cb_window_new (GTK_APPLICATION (self), ensure_settings (self), self->session,
                                        !screenshots));

  if (!screenshots)
    {
      gtk_window_present (window);
      return;
    }

  {
    g_autofree char *language = cb_application_dup_language ();

    gtk_window_set_default_size (window, SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT);
    gtk_widget_add_css_class (GTK_WIDGET (window), "cb-screenshot");
    gtk_window_present (window);
    g_application_hold (G_APPLICATION (self));
    cb_window_take_screenshots_async (CB_WINDOW (window), self->screenshot_dir, language, NULL,
                                      on_screenshots_taken, g_object_ref (self));
  }
}

static void
on_demo_login_finished (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CbApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cb_session_login_finish (CB_SESSION (source_object), result, &error))
    g_printerr (_("calbench: --demo-login %s: %s\n"), self->demo_login, error->message);
  present_window (self);
  g_application_release (G_APPLICATION (self));
}

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);

  if (self->database != NULL && self->session == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->session = cb_session_open (self->database, &error);
      if (self->session == NULL)
        {
          g_printerr (_("calbench: %s\n"), error->message);
          self->exit_status = 1;
          return;
        }
      /* The instruments: this run's options, else the preferences. */
      {
        GSettings *settings = ensure_settings (self);
        g_autofree char *calibrator = settings != NULL ? g_settings_get_string (settings, "calibrator-port") : NULL;
        g_autofree char *multimeter = settings != NULL ? g_settings_get_string (settings, "multimeter-port") : NULL;

        cb_session_set_instrument_port (self->session, "calibrator",
                                        self->calibrator_port != NULL ? self->calibrator_port : calibrator);
        cb_session_set_instrument_port (self->session, "uut",
                                        self->multimeter_port != NULL ? self->multimeter_port : multimeter);
        {
          g_autofree char *pressure = settings != NULL ? g_settings_get_string (settings, "pressure-port") : NULL;
          g_autofree char *sensor = settings != NULL ? g_settings_get_string (settings, "sensor-port") : NULL;

          cb_session_set_instrument_port (self->session, "pressure", pressure);
          cb_session_set_instrument_port (self->session, "sensor",
                                          self->sensor_port != NULL ? self->sensor_port : sensor);
        }
        {
          g_autofree char *room = settings != NULL ? g_settings_get_string (settings, "room") : NULL;
          const char *sensor = cb_session_get_instrument_port (self->session, "sensor");

          cb_session_set_room (self->session, self->room != NULL ? self->room : room);
          /* The room's sensor is logged while the workstation runs. */
          if (sensor != NULL && cb_session_get_room (self->session) != NULL)
            cb_session_set_environment_sensor (self->session, sensor,
                                               settings != NULL ? g_settings_get_uint (settings, "environment-interval") : 60);
          else if (sensor != NULL)
            g_printerr (_("calbench: the room's sensor is not logged: no room is set (--room, or the preferences)\n"));
        }
        /* The lab server: this run's option, else the preferences. */
        {
          g_autofree char *url = settings != NULL ? g_settings_get_string (settings, "server-url") : NULL;
          g_autofree char *ca = settings != NULL ? g_settings_get_string (settings, "server-ca") : NULL;

          if (!cb_session_set_server (self->session, self->server_url != NULL ? self->server_url : url,
                                      self->server_url != NULL ? self->server_ca : ca, &error))
            {
              g_printerr (_("calbench: the lab server: %s\n"), error->message);
              g_clear_error (&error);
            }
        }
      }
      if (self->demo_login != NULL)
        {
          g_application_hold (application);
          cb_session_login_async (self->session, self->demo_login, CB_DEMO_PASSWORD, NULL,
                                  on_demo_login_finished, g_object_ref (self));
          return;
        }
    }
  present_window (self);
}

static void
cb_application_finalize (GObject *object)
{
  CbApplication *self = CB_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_free (self->screenshot_dir);
  g_free (self->database);
  g_free (self->demo_login);
  g_free (self->calibrator_port);
  g_free (self->multimeter_port);
  g_free (self->sensor_port);
  g_free (self->server_url);
  g_free (self->server_ca);
  g_free (self->room);

  G_OBJECT_CLASS (cb_application_parent_class)->finalize (object);
}

static void
cb_application_class_init (CbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cb_application_finalize;
  application_class->handle_local_options = cb_application_handle_local_options;
  application_class->startup = cb_application_startup;
  application_class->activate = cb_application_activate;
}

static void
cb_application_init (CbApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
}

/* Public API */

void
cb_application_setup_i18n (void)
{
  cb_i18n_init ();
  /* The locale is set; GTK setting it again would undo the above. */
  gtk_disable_setlocale ();
}

CbApplication *
cb_application_new (void)
{
  return g_object_new (CB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/calbench/Calbench",
                       NULL);
}

GSettings *
cb_application_get_settings (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  return ensure_settings (self);
}

int
cb_application_get_exit_status (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), 1);

  return self->exit_status;
}

char *
cb_application_dup_language (void)
{
  const char * const *names = g_get_language_names ();
  const char *first = names != NULL && names[0] != NULL ? names[0] : "C";
  char *language = g_strndup (first, strcspn (first, ".@"));

  if (g_str_equal (language, "C") || g_str_equal (language, "POSIX"))
    {
      g_free (language);
      return g_strdup ("en");
    }
  return language;
}
