/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "cb-certificate-window.h"

/* Preview resolution: 1.5 pixels per point. */
#define PREVIEW_SCALE 1.5

struct _CbCertificateWindow
{
  AdwWindow       parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkBox         *pages;

  CbCertificate  *certificate;
  guint           n_pages;
};

G_DEFINE_FINAL_TYPE (CbCertificateWindow, cb_certificate_window, ADW_TYPE_WINDOW)

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* Printing: the same drawing as the PDF, scaled to the printer's page. */
static void
on_draw_page (GtkPrintOperation   *operation,
              GtkPrintContext     *context,
              int                  page,
              CbCertificateWindow *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = gtk_print_context_get_width (context) / CB_A4_WIDTH;

  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  cb_certificate_render_page (self->certificate, cr, (guint) page);
  cairo_restore (cr);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbCertificateWindow *self = CB_CERTIFICATE_WINDOW (widget);
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GError) error = NULL;

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, (int) self->n_pages);
  gtk_print_operation_set_job_name (operation, cb_certificate_get_identifier (self->certificate));
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, GTK_WINDOW (self), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("%s", error->message);
}

static void
cb_certificate_window_dispose (GObject *object)
{
  CbCertificateWindow *self = CB_CERTIFICATE_WINDOW (object);

  g_clear_pointer (&self->certificate, cb_certificate_free);

  G_OBJECT_CLASS (cb_certificate_window_parent_class)->dispose (object);
}

static void
cb_certificate_window_class_init (CbCertificateWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_certificate_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/calbench/Calbench/ui/cb-certificate-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCertificateWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbCertificateWindow, pages);
  gtk_widget_class_install_action (widget_class, "certificate.print", NULL, print_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "certificate.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_certificate_window_init (CbCertificateWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbCertificateWindow *
cb_certificate_window_new (GtkWindow      *parent,
                           CbCertificate  *certificate,
                           GBytes         *pdf,
                           GError        **error)
{
  g_autoptr(CbCertificateWindow) self = g_object_ref_sink (g_object_new (CB_TYPE_CERTIFICATE_WINDOW,
                                                                         "transient-for", parent, NULL));
  g_autoptr(PopplerDocument) document = poppler_document_new_from_bytes (pdf, NULL, error);

  if (document == NULL)
    {
      cb_certificate_free (certificate);
      return NULL;
    }
  self->certificate = certificate;
  self->n_pages = (guint) poppler_document_get_n_pages (document);
  adw_window_title_set_subtitle (self->window_title, cb_certificate_get_identifier (certificate));

  /* Each page as Poppler draws the PDF. */
  for (guint i = 0; i < self->n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, (int) i);
      double width, height;
      cairo_surface_t *surface;
      cairo_t *cr;
      g_autoptr(GBytes) pixels = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      GtkWidget *picture;

      poppler_page_get_size (page, &width, &height);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * PREVIEW_SCALE),
                                            (int) (height * PREVIEW_SCALE));
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, PREVIEW_SCALE, PREVIEW_SCALE);
      poppler_page_render_for_printing (page, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                            (gsize) cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
      texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface),
                                        GDK_MEMORY_DEFAULT, pixels, (gsize) cairo_image_surface_get_stride (surface));
      cairo_surface_destroy (surface);
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
      gtk_widget_add_css_class (picture, "card");
      gtk_box_append (self->pages, picture);
    }
  return g_steal_pointer (&self);
}

guint
cb_certificate_window_get_n_pages (CbCertificateWindow *self)
{
  g_return_val_if_fail (CB_IS_CERTIFICATE_WINDOW (self), 0);

  return self->n_pages;
}
