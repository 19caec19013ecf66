/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-preferences-window.h"

struct _CbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template children */
  AdwEntryRow          *server_row;
  AdwEntryRow          *server_ca_row;
  AdwEntryRow          *bench_row;
  AdwEntryRow          *room_row;
  AdwEntryRow          *calibrator_row;
  AdwEntryRow          *multimeter_row;
  AdwEntryRow          *pressure_row;
  AdwEntryRow          *sensor_row;
  GtkSpinButton        *interval_spin;
  AdwComboRow          *language_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CbPreferencesWindow, cb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo's rows, in order, as the "language" key spells them. */
static const char * const languages[] = { "", "en", "zh_CN" };

static gboolean
seconds_to_value (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
value_to_seconds (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) g_value_get_double (value));
}

static gboolean
language_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *language = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (language, languages[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
row_to_language (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  guint row = g_value_get_uint (value);

  return g_variant_new_string (row < G_N_ELEMENTS (languages) ? languages[row] : "");
}

static void
cb_preferences_window_dispose (GObject *object)
{
  CbPreferencesWindow *self = CB_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cb_preferences_window_parent_class)->dispose (object);
}

static void
cb_preferences_window_class_init (CbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, server_ca_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, bench_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, room_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, calibrator_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, multimeter_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, pressure_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, sensor_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, language_row);
}

static void
cb_preferences_window_init (CbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbPreferencesWindow *
cb_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  CbPreferencesWindow *self;
  static const struct { const char *key; gsize offset; } rows[] = {
    { "server-url", G_STRUCT_OFFSET (CbPreferencesWindow, server_row) },
    { "server-ca", G_STRUCT_OFFSET (CbPreferencesWindow, server_ca_row) },
    { "bench-id", G_STRUCT_OFFSET (CbPreferencesWindow, bench_row) },
    { "room", G_STRUCT_OFFSET (CbPreferencesWindow, room_row) },
    { "calibrator-port", G_STRUCT_OFFSET (CbPreferencesWindow, calibrator_row) },
    { "multimeter-port", G_STRUCT_OFFSET (CbPreferencesWindow, multimeter_row) },
    { "pressure-port", G_STRUCT_OFFSET (CbPreferencesWindow, pressure_row) },
    { "sensor-port", G_STRUCT_OFFSET (CbPreferencesWindow, sensor_row) },
  };

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CB_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE, NULL);
  self->settings = g_object_ref (settings);
  /* Each row writes its key as it is edited. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_settings_bind (settings, rows[i].key, G_STRUCT_MEMBER (gpointer, self, rows[i].offset), "text",
                     G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "language", self->language_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                language_to_row, row_to_language, NULL, NULL);
  g_settings_bind_with_mapping (settings, "environment-interval", self->interval_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, seconds_to_value, value_to_seconds, NULL, NULL);
  return self;
}
