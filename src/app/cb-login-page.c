/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-login-page.h"

struct _CbLoginPage
{
  GtkWidget      parent_instance;

  /* Template children */
  AdwStatusPage *status;
  AdwEntryRow   *login_row;
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *login_button;
  GtkButton     *switch_button;
  GtkSpinner    *spinner;

  CbSession     *session;
  char          *locked_by;   /* the login of who locked the workstation */
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (CbLoginPage, cb_login_page, GTK_TYPE_WIDGET)

/* Helpers */

static void
set_busy (CbLoginPage *self,
          gboolean     busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
}

static void
show_error (CbLoginPage *self,
            const char  *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Callbacks */

static void
on_login_finished (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CbLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cb_session_login_finish (CB_SESSION (source_object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  set_busy (self, FALSE);
  cb_login_page_reset (self);
}

static void
on_login_clicked (CbLoginPage *self)
{
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->session == NULL)
    return;
  if (*login == '\0')
    {
      show_error (self, _("Enter your user name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
      return;
    }
  if (*password == '\0')
    {
      show_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  cb_session_login_async (self->session, login, password, self->cancellable, on_login_finished,
                          g_object_ref (self));
}

static void
on_switch_clicked (CbLoginPage *self)
{
  cb_login_page_set_locked (self, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
}

static void
on_login_activated (CbLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activated (CbLoginPage *self)
{
  on_login_clicked (self);
}

/* Overrides */

static void
cb_login_page_dispose (GObject *object)
{
  CbLoginPage *self = CB_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_LOGIN_PAGE);
  /* Children the template does not bind go too. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_pointer (&self->locked_by, g_free);

  G_OBJECT_CLASS (cb_login_page_parent_class)->dispose (object);
}

static void
cb_login_page_class_init (CbLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_login_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, status);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, login_button);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, switch_button);
  gtk_widget_class_bind_template_child (widget_class, CbLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_login_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_login_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
}

static void
cb_login_page_init (CbLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
cb_login_page_set_session (CbLoginPage *self,
                           CbSession   *session)
{
  g_autofree char *shown = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (CB_IS_LOGIN_PAGE (self));

  if (!g_set_object (&self->session, session))
    return;
  if (session == NULL)
    return;
  shown = g_filename_display_name (cb_session_get_path (session));
  /* TRANSLATORS: %s is the lab database file */
  description = g_strdup_printf (_("Lab database %s. Your password is checked on this workstation, so you can work offline."),
                                 shown);
  adw_status_page_set_description (self->status, description);
}

void
cb_login_page_reset (CbLoginPage *self)
{
  g_return_if_fail (CB_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  gtk_widget_grab_focus (self->locked_by != NULL ? GTK_WIDGET (self->password_row) : GTK_WIDGET (self->login_row));
}

void
cb_login_page_set_locked (CbLoginPage *self,
                          const char  *login,
                          const char  *name)
{
  g_return_if_fail (CB_IS_LOGIN_PAGE (self));

  g_free (self->locked_by);
  self->locked_by = g_strdup (login);
  gtk_widget_set_visible (GTK_WIDGET (self->switch_button), login != NULL);
  if (login != NULL)
    {
      /* TRANSLATORS: %s is the name of who locked the workstation */
      g_autofree char *title = g_strdup_printf (_("Locked by %s"), name != NULL ? name : login);

      adw_status_page_set_title (self->status, title);
      gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
    }
  else
    adw_status_page_set_title (self->status, _("Log In"));
  cb_login_page_reset (self);
}

const char *
cb_login_page_get_locked (CbLoginPage *self)
{
  g_return_val_if_fail (CB_IS_LOGIN_PAGE (self), NULL);

  return self->locked_by;
}
