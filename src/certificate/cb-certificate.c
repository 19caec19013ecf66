/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "cb-certificate.h"
#include "cb-keys.h"
#include "cb-lab-resources.h"
#include "cb-pdf-sign.h"
#include "core/cb-paths.h"
#include "store/cb-store-records.h"

/* Latin text and figures in the lab's cut of Noto Sans, Chinese in its cut
 * of Noto Sans CJK SC (cb_certificate_load_fonts()); any character they
 * lack in the whole faces. */
#define FONT          "Calbench Sans, Calbench Sans CJK, Noto Sans, Noto Sans CJK SC"
#define MARGIN        56.0
#define TOP           64.0
#define BOTTOM        (CB_A4_HEIGHT - 78.0)
#define SEAL_RADIUS   48.0
#define SEAM_WIDTH    14.0
#define TABLE_PAD     4.0

/* Texts laid out with one Pango context: "bold size width align text" →
 * PangoLayout. */
typedef struct
{
  PangoContext *context;
  GHashTable   *table;
} Layouts;

static void
layouts_free (Layouts *layouts)
{
  if (layouts == NULL)
    return;
  g_hash_table_unref (layouts->table);
  g_object_unref (layouts->context);
  g_free (layouts);
}

struct _CbLab
{
  char *name;
  char *name_en;
  char *address;
  char *address_en;
  char *phone;
  char *authorisation;
  char *verify_url;
  char *prefix[3];
};

typedef struct
{
  char  *title;           /* a column's label and unit */
  char **cells;           /* per point */
} Column;

typedef struct
{
  char      *title;
  guint      n_rows;
  GPtrArray *columns;     /* Column */
} Table;

struct _CbCertificate
{
  CbLab              *lab;           /* a copy: the certificate outlives its caller's */
  CbTemplateKind      kind;
  gboolean            notice;        /* a verification that failed: 检定结果通知书 */
  gboolean            original;      /* the original record, printed: no seal, no QR code */
  char               *number;
  char               *certificate_kind;
  char               *replaced_number;
  char               *issued_at;
  char               *valid_until;
  char               *identifier;
  char               *url;
  char               *conclusion;
  char               *method;
  char               *temperature;
  char               *humidity;
  CbCertificateFacts *facts;
  GPtrArray          *tables;        /* Table */
  GPtrArray          *results;       /* char *: "label: value unit" */
  GPtrArray          *statements;    /* char * */
  guint               n_pages;

  /* Texts laid out once for counting the pages and again for drawing
   * them: shaped once, with one context, by the thread that made them
   * (each thread has its own font map). */
  Layouts            *layouts;
  GThread            *layouts_thread;
};

G_DEFINE_QUARK (cb-certificate-error-quark, cb_certificate_error)

/* ------------------------------------------------------------------ */
/* The lab                                                             */
/* ------------------------------------------------------------------ */

static char *
dup_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

CbLab *
cb_lab_new_from_data (const char  *data,
                      gssize       length,
                      GError     **error)
{
  static const char * const required[] = { "name", "address", "authorisation", "verify_url" };
  static const char * const kinds[] = { "verification", "calibration", "test" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonObject *prefix;
  CbLab *lab;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID, _("lab file: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID, _("lab file: expected an object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *value = dup_member (root, required[i]);

      if (value == NULL || *value == '\0')
        {
          g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                       _("lab file: '%s' is missing"), required[i]);
          return NULL;
        }
    }

  lab = g_new0 (CbLab, 1);
  lab->name = dup_member (root, "name");
  lab->name_en = dup_member (root, "name_en");
  lab->address = dup_member (root, "address");
  lab->address_en = dup_member (root, "address_en");
  lab->phone = dup_member (root, "phone");
  lab->authorisation = dup_member (root, "authorisation");
  lab->verify_url = dup_member (root, "verify_url");
  prefix = json_object_has_member (root, "number_prefix") ? json_object_get_object_member (root, "number_prefix") : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      lab->prefix[i] = prefix != NULL ? dup_member (prefix, kinds[i]) : NULL;
      if (lab->prefix[i] == NULL)
        lab->prefix[i] = g_strdup (i == 0 ? "JD" : i == 1 ? "JZ" : "JC");
    }
  return lab;
}

CbLab *
cb_lab_new_from_file (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return cb_lab_new_from_data (contents, (gssize) length, error);
}

CbLab *
cb_lab_new_default (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (cb_lab_resources_get_resource (), "/org/calbench/lab/lab.json",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return cb_lab_new_from_data (data, (gssize) size, NULL);
}

void
cb_lab_free (CbLab *lab)
{
  if (lab == NULL)
    return;
  g_free (lab->name);
  g_free (lab->name_en);
  g_free (lab->address);
  g_free (lab->address_en);
  g_free (lab->phone);
  g_free (lab->authorisation);
  g_free (lab->verify_url);
  for (guint i = 0; i < G_N_ELEMENTS (lab->prefix); i++)
    g_free (lab->prefix[i]);
  g_free (lab);
}

static CbLab *
lab_copy (const CbLab *lab)
{
  CbLab *copy = g_new0 (CbLab, 1);

  copy->name = g_strdup (lab->name);
  copy->name_en = g_strdup (lab->name_en);
  copy->address = g_strdup (lab->address);
  copy->address_en = g_strdup (lab->address_en);
  copy->phone = g_strdup (lab->phone);
  copy->authorisation = g_strdup (lab->authorisation);
  copy->verify_url = g_strdup (lab->verify_url);
  for (guint i = 0; i < G_N_ELEMENTS (lab->prefix); i++)
    copy->prefix[i] = g_strdup (lab->prefix[i]);
  return copy;
}

const char *
cb_lab_get_name (const CbLab *lab)
{
  return lab->name;
}

const char *
cb_lab_get_address (const CbLab *lab)
{
  return lab->address;
}

const char *
cb_lab_get_phone (const CbLab *lab)
{
  return lab->phone;
}

const char *
cb_lab_get_authorisation (const CbLab *lab)
{
  return lab->authorisation;
}

const char *
cb_lab_get_number_prefix (const CbLab    *lab,
                          CbTemplateKind  kind)
{
  return lab->prefix[MIN ((guint) kind, G_N_ELEMENTS (lab->prefix) - 1)];
}

/* ------------------------------------------------------------------ */
/* Building the content                                                */
/* ------------------------------------------------------------------ */

static void
table_free (Table *table)
{
  for (guint c = 0; c < table->columns->len; c++)
    {
      Column *column = g_ptr_array_index (table->columns, c);

      g_free (column->title);
      g_strfreev (column->cells);
      g_free (column);
    }
  g_ptr_array_unref (table->columns);
  g_free (table->title);
  g_free (table);
}

static char *
cell_text (CbRecord   *record,
           const char *id)
{
  CbCell cell;

  if (!cb_record_get_cell (record, id, &cell, NULL) || cell.state != CB_CELL_OK || cell.text == NULL)
    return g_strdup ("—");
  /* A minus sign, not a hyphen, as printed numbers have. */
  if (cell.text[0] == '-')
    return g_strconcat ("−", cell.text + 1, NULL);
  return g_strdup (cell.text);
}

static gboolean
build_tables (CbCertificate  *self,
              CbRecord       *record,
              JsonObject     *section,
              GError        **error)
{
  CbTemplate *tmpl = cb_record_get_template (record);
  JsonArray *tables = json_object_has_member (section, "tables") ? json_object_get_array_member (section, "tables") : NULL;
  JsonArray *results = json_object_has_member (section, "results") ? json_object_get_array_member (section, "results") : NULL;
  JsonArray *statements = json_object_has_member (section, "statements")
                          ? json_object_get_array_member (section, "statements") : NULL;

  for (guint t = 0; tables != NULL && t < json_array_get_length (tables); t++)
    {
      JsonObject *spec = json_array_get_object_element (tables, t);
      const char *block = json_object_get_string_member (spec, "block");
      JsonArray *columns = json_object_get_array_member (spec, "columns");
      int index = cb_template_find_block (tmpl, block);
      Table *table;

      if (index < 0)
        {
          g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                       _("the template's certificate names a block '%s' it does not have"), block);
          return FALSE;
        }
      table = g_new0 (Table, 1);
      table->title = g_strdup (cb_template_get_block_title (tmpl, (guint) index));
      table->n_rows = cb_record_get_n_points (record, (guint) index);
      table->columns = g_ptr_array_new ();
      g_ptr_array_add (self->tables, table);
      for (guint c = 0; c < json_array_get_length (columns); c++)
        {
          const char *name = json_array_get_string_element (columns, c);
          g_autofree char *first = g_strdup_printf ("%s/1/%s", block, name);
          Column *column = g_new0 (Column, 1);
          CbCell cell;

          column->cells = g_new0 (char *, table->n_rows + 1);
          if (cb_record_get_cell (record, first, &cell, NULL))
            column->title = cell.unit != NULL && g_strcmp0 (cell.unit, "1") != 0
                            ? g_strdup_printf ("%s\n%s", cell.label, cell.unit) : g_strdup (cell.label);
          else
            column->title = g_strdup (name);
          for (guint p = 0; p < table->n_rows; p++)
            {
              g_autofree char *id = g_strdup_printf ("%s/%u/%s", block, p + 1, name);

              column->cells[p] = cell_text (record, id);
            }
          g_ptr_array_add (table->columns, column);
        }
    }

  for (guint r = 0; results != NULL && r < json_array_get_length (results); r++)
    {
      const char *name = json_array_get_string_element (results, r);
      g_autofree char *text = cell_text (record, name);
      CbCell cell;

      if (cb_record_get_cell (record, name, &cell, NULL))
        g_ptr_array_add (self->results, g_strdup_printf ("%s：%s %s", cell.label, text,
                                                         g_strcmp0 (cell.unit, "1") != 0 ? cell.unit : ""));
    }
  for (guint s = 0; statements != NULL && s < json_array_get_length (statements); s++)
    g_ptr_array_add (self->statements, g_strdup (json_array_get_string_element (statements, s)));
  return TRUE;
}

/* Every column of every block, as the record holds them: the original
 * record printed. */
static void
build_all_tables (CbCertificate *self,
                  CbRecord      *record)
{
  CbTemplate *tmpl = cb_record_get_template (record);
  g_autoptr(JsonNode) results = cb_record_results_to_json (record);
  JsonObject *blocks = json_object_get_object_member (json_node_get_object (results), "blocks");

  for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
    {
      const char *block = cb_template_get_block_name (tmpl, b);
      JsonArray *points = json_object_get_array_member (blocks, block);
      g_autoptr(GList) members = NULL;
      Table *table;

      if (points == NULL || json_array_get_length (points) == 0)
        continue;
      table = g_new0 (Table, 1);
      table->title = g_strdup (cb_template_get_block_title (tmpl, b));
      table->n_rows = json_array_get_length (points);
      table->columns = g_ptr_array_new ();
      g_ptr_array_add (self->tables, table);
      members = json_object_get_members (json_object_get_object_member (json_array_get_object_element (points, 0),
                                                                        "cells"));
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *first = g_strdup_printf ("%s/1/%s", block, (const char *) l->data);
          Column *column = g_new0 (Column, 1);
          CbCell cell;

          column->cells = g_new0 (char *, table->n_rows + 1);
          if (cb_record_get_cell (record, first, &cell, NULL) && cell.label != NULL)
            column->title = cell.unit != NULL && g_strcmp0 (cell.unit, "1") != 0
                            ? g_strdup_printf ("%s\n%s", cell.label, cell.unit) : g_strdup (cell.label);
          else
            column->title = g_strdup (l->data);
          for (guint p = 0; p < table->n_rows; p++)
            {
              g_autofree char *id = g_strdup_printf ("%s/%u/%s", block, p + 1, (const char *) l->data);

              column->cells[p] = cell_text (record, id);
            }
          g_ptr_array_add (table->columns, column);
        }
    }
}

/* A signature's time as people read it: local date and minute. */
static char *
signed_text (const char *name,
             const char *time)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  /* The lab's time, China Standard Time, whatever the machine's zone. */
  g_autoptr(GTimeZone) china = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) when = time != NULL ? g_date_time_new_from_iso8601 (time, utc) : NULL;
  g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_timezone (when, china) : NULL;
  g_autofree char *shown = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : NULL;

  return g_strdup_printf ("%s    %s", name != NULL ? name : "—", shown != NULL ? shown : "");
}

static char *
date_part (const char *time)
{
  return time != NULL ? g_strndup (time, 10) : g_strdup ("—");
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  CbCertificate *self;
  cairo_t       *cr;
  int            target;   /* the page to draw; -1 every page (PDF), -2 none (counting) */
  guint          page;
  double         y;
} Flow;

static gboolean
drawing (Flow *flow)
{
  return flow->target == -1 || flow->target == (int) flow->page;
}

static gpointer
load_fonts (gpointer data)
{
  g_autofree char *dir = cb_find_data_dir ("CALBENCH_FONTDIR", "data/fonts", PKGDATADIR "/fonts");
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  /* Without them the whole faces serve: the same certificate, slower. */
  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".otf") || g_str_has_suffix (name, ".ttf"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (!FcConfigAppFontAddFile (NULL, (const FcChar8 *) path))
          g_warning ("certificate font %s could not be added", path);
      }
  return NULL;
}

void
cb_certificate_load_fonts (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_fonts, NULL);
}

static Layouts *
layouts_new (void)
{
  Layouts *layouts = g_new0 (Layouts, 1);
  cairo_font_options_t *options = cairo_font_options_create ();

  cb_certificate_load_fonts ();
  layouts->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  layouts->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  /* Exact advances: rounded ones leave gaps where the Latin and the CJK
   * font meet, and text extraction reads them as spaces. The options are
   * the PDF surface's, so that drawing there does not lay the texts out
   * again. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (layouts->context, options);
  pango_context_set_round_glyph_positions (layouts->context, FALSE);
  cairo_font_options_destroy (options);
  return layouts;
}

/* The texts every certificate prints (labels, headings, notices, the
 * seal), laid out once per thread and kept: the thread's other
 * certificates take them as they are.  Bounded: a thread that has laid
 * out more than this many starts again. */
#define MAX_SHARED_LAYOUTS 1024

static GPrivate shared_layouts = G_PRIVATE_INIT ((GDestroyNotify) layouts_free);

static Layouts *
layouts_for (CbCertificate *self,
             gboolean       shared)
{
  Layouts *layouts;

  if (shared)
    {
      layouts = g_private_get (&shared_layouts);
      if (layouts == NULL)
        {
          layouts = layouts_new ();
          g_private_set (&shared_layouts, layouts);
        }
      else if (g_hash_table_size (layouts->table) > MAX_SHARED_LAYOUTS)
        g_hash_table_remove_all (layouts->table);
      return layouts;
    }
  if (self->layouts == NULL || self->layouts_thread != g_thread_self ())
    {
      g_clear_pointer (&self->layouts, layouts_free);
      self->layouts = layouts_new ();
      self->layouts_thread = g_thread_self ();
    }
  return self->layouts;
}

/* @string laid out in @width (0: as wide as it is); @shared for a text
 * other certificates print too. */
static PangoLayout *
prepare (Flow       *flow,
         gboolean    shared,
         double      width,
         const char *string,
         double      size,
         gboolean    bold,
         PangoAlignment align)
{
  Layouts *layouts = layouts_for (flow->self, shared);
  g_autofree char *key = g_strdup_printf ("%d %d %d %d %s", bold, (int) (size * PANGO_SCALE),
                                          width > 0 ? (int) (width * PANGO_SCALE) : -1, (int) align, string);
  PangoLayout *layout = g_hash_table_lookup (layouts->table, key);
  PangoFontDescription *font;

  if (layout != NULL)
    return layout;
  layout = pango_layout_new (layouts->context);
  font = pango_font_description_from_string (FONT);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, string, -1);
  g_hash_table_insert (layouts->table, g_steal_pointer (&key), layout);
  return layout;
}

/* @string at (@x, @y) in @width (0: as wide as it is), drawn if @draw;
 * returns its height.  @shared for a text every certificate of the lab or
 * the template prints (a label, a heading, a notice), laid out once per
 * thread; the certificate's own values are not. */
static double
text (Flow        *flow,
      gboolean     shared,
      double       x,
      double       y,
      double       width,
      const char  *string,
      double       size,
      gboolean     bold,
      PangoAlignment align,
      gboolean     draw)
{
  PangoLayout *layout = prepare (flow, shared, width, string, size, bold, align);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  if (draw && drawing (flow))
    {
      /* Drawn as laid out: the context already has the PDF surface's
       * options, and updating it from the cairo_t (rotated for the seal's
       * arc) would lay every layout of the context out again. */
      cairo_move_to (flow->cr, x, y);
      pango_cairo_show_layout (flow->cr, layout);
    }
  return (double) h / PANGO_SCALE;
}

static double
text_width (Flow       *flow,
            gboolean    shared,
            const char *string,
            double      size,
            gboolean    bold)
{
  PangoLayout *layout = prepare (flow, shared, 0, string, size, bold, PANGO_ALIGN_LEFT);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
star (cairo_t *cr,
      double   cx,
      double   cy,
      double   r)
{
  for (int i = 0; i < 10; i++)
    {
      double angle = -G_PI / 2 + i * G_PI / 5;
      double radius = i % 2 == 0 ? r : r * 0.382;

      if (i == 0)
        cairo_move_to (cr, cx + radius * cos (angle), cy + radius * sin (angle));
      else
        cairo_line_to (cr, cx + radius * cos (angle), cy + radius * sin (angle));
    }
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* The electronic seal in vector: ring, star, the lab's name along the arc,
 * the seal's use beneath. */
static void
draw_seal (Flow   *flow,
           double  cx,
           double  cy)
{
  CbCertificate *self = flow->self;
  cairo_t *cr = flow->cr;
  const char *use = self->kind == CB_TEMPLATE_KIND_VERIFICATION ? "检定电子证书专用章"
                    : self->kind == CB_TEMPLATE_KIND_TEST ? "检测电子报告专用章" : "校准电子证书专用章";
  glong n = g_utf8_strlen (self->lab->name, -1);
  double span = MIN (G_PI * 1.35, n * 0.34);
  const char *p = self->lab->name;

  cairo_save (cr);
  cairo_set_source_rgba (cr, 0.85, 0.05, 0.05, 0.9);
  cairo_set_line_width (cr, 2.6);
  cairo_arc (cr, cx, cy, SEAL_RADIUS, 0, 2 * G_PI);
  cairo_stroke (cr);
  star (cr, cx, cy, SEAL_RADIUS * 0.28);

  /* The name, one character at a time, along the upper arc. */
  for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
    {
      char glyph[8] = { 0 };
      double angle = -G_PI / 2 - span / 2 + (n > 1 ? span * i / (n - 1) : 0);
      double w;

      g_unichar_to_utf8 (g_utf8_get_char (p), glyph);
      cairo_save (cr);
      cairo_translate (cr, cx + (SEAL_RADIUS - 12) * cos (angle), cy + (SEAL_RADIUS - 12) * sin (angle));
      cairo_rotate (cr, angle + G_PI / 2);
      w = text_width (flow, TRUE, glyph, 9.5, TRUE);
      text (flow, TRUE, -w / 2, -7, 0, glyph, 9.5, TRUE, PANGO_ALIGN_LEFT, TRUE);
      cairo_restore (cr);
    }
  {
    double w = text_width (flow, TRUE, use, 6.5, TRUE);

    text (flow, TRUE, cx - w / 2, cy + SEAL_RADIUS * 0.42, 0, use, 6.5, TRUE, PANGO_ALIGN_LEFT, TRUE);
  }
  cairo_restore (cr);
}

/* One strip of the riding-seam seal at the right edge of each page. */
static void
draw_seam (Flow *flow)
{
  guint n = MAX (flow->self->n_pages, 1);
  double strip = 2 * SEAL_RADIUS / n;
  double cx = CB_A4_WIDTH + SEAL_RADIUS - (flow->page + 1) * strip;

  cairo_save (flow->cr);
  cairo_rectangle (flow->cr, CB_A4_WIDTH - strip, 0, strip, CB_A4_HEIGHT);
  cairo_clip (flow->cr);
  draw_seal (flow, cx, CB_A4_HEIGHT / 2);
  cairo_restore (flow->cr);
}

static void
draw_qr (Flow   *flow,
         double  x,
         double  y,
         double  size)
{
  QRcode *code = QRcode_encodeString (flow->self->url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_autofree guint8 *dark = NULL;
  double module;

  if (code == NULL)
    return;
  /* Four modules of quiet zone around the code. */
  module = size / (code->width + 8);
  cairo_save (flow->cr);
  cairo_set_source_rgb (flow->cr, 1, 1, 1);
  cairo_rectangle (flow->cr, x, y, size, size);
  cairo_fill (flow->cr);
  cairo_set_source_rgb (flow->cr, 0, 0, 0);
  /* The dark modules as few rectangles as a greedy cover gives: a run along
   * a row, taken down the rows below while they repeat it.  One path, so the
   * rectangles' shared edges leave no seams. */
  dark = g_new (guint8, code->width * code->width);
  for (int i = 0; i < code->width * code->width; i++)
    dark[i] = code->data[i] & 1;
  for (int row = 0; row < code->width; row++)
    for (int col = 0; col < code->width; col++)
      {
        int end = col, bottom = row + 1;

        if (!dark[row * code->width + col])
          continue;
        while (end < code->width && dark[row * code->width + end])
          end++;
        for (; bottom < code->width; bottom++)
          {
            gboolean repeats = TRUE;

            for (int c = col; c < end && repeats; c++)
              repeats = dark[bottom * code->width + c];
            if (!repeats)
              break;
          }
        for (int r = row; r < bottom; r++)
          memset (dark + r * code->width + col, 0, end - col);
        cairo_rectangle (flow->cr, x + (col + 4) * module, y + (row + 4) * module, (end - col) * module,
                         (bottom - row) * module);
        col = end - 1;
      }
  cairo_fill (flow->cr);
  cairo_restore (flow->cr);
  QRcode_free (code);
}

/* Header, footer and seam of the page the flow is on. */
static void
draw_page_frame (Flow *flow)
{
  CbCertificate *self = flow->self;
  g_autofree char *page = g_strdup_printf ("第 %u 页 共 %u 页  Page %u of %u", flow->page + 1, self->n_pages,
                                           flow->page + 1, self->n_pages);
  g_autofree char *number = g_strdup_printf (self->original ? "记录 Record: %s" : "证书编号 Certificate No.: %s",
                                             self->number);
  g_autofree char *identifier = g_strdup_printf ("电子证书标识 Identifier: %s", self->identifier);

  if (!drawing (flow))
    return;
  cairo_set_source_rgb (flow->cr, 0, 0, 0);
  if (flow->page > 0)
    {
      text (flow, FALSE, MARGIN, 30, 0, number, 9, FALSE, PANGO_ALIGN_LEFT, TRUE);
      text (flow, TRUE, CB_A4_WIDTH - MARGIN - text_width (flow, TRUE, self->lab->name, 9, FALSE), 30, 0,
            self->lab->name, 9, FALSE, PANGO_ALIGN_LEFT, TRUE);
      cairo_set_line_width (flow->cr, 0.6);
      cairo_move_to (flow->cr, MARGIN, 48);
      cairo_line_to (flow->cr, CB_A4_WIDTH - MARGIN, 48);
      cairo_stroke (flow->cr);
    }
  cairo_set_line_width (flow->cr, 0.6);
  cairo_move_to (flow->cr, MARGIN, BOTTOM + 12);
  cairo_line_to (flow->cr, CB_A4_WIDTH - MARGIN, BOTTOM + 12);
  cairo_stroke (flow->cr);
  if (self->original)
    text (flow, TRUE, MARGIN, BOTTOM + 16, 0, "原始记录，打印自实验室数据库  Original record, printed from the laboratory's store",
          7, FALSE, PANGO_ALIGN_LEFT, TRUE);
  else
    {
      text (flow, TRUE, MARGIN, BOTTOM + 16, 0, "本证书为电子证书，请到发证机构官网验证  Electronic certificate: verify it on the issuer's website",
            7, FALSE, PANGO_ALIGN_LEFT, TRUE);
      text (flow, FALSE, MARGIN, BOTTOM + 30, 0, identifier, 7.5, FALSE, PANGO_ALIGN_LEFT, TRUE);
    }
  text (flow, TRUE, CB_A4_WIDTH - MARGIN - text_width (flow, TRUE, page, 7.5, FALSE), BOTTOM + 30, 0, page, 7.5, FALSE,
        PANGO_ALIGN_LEFT, TRUE);
  if (!self->original)
    draw_seam (flow);
}

static void
new_page (Flow *flow)
{
  if (flow->target == -1)
    cairo_show_page (flow->cr);
  flow->page++;
  flow->y = TOP;
  draw_page_frame (flow);
}

/* Room for @height more, or a new page. */
static void
need (Flow   *flow,
      double  height)
{
  if (flow->y + height > BOTTOM)
    new_page (flow);
}

static void
heading (Flow       *flow,
         const char *zh,
         const char *en)
{
  g_autofree char *title = g_strdup_printf ("%s  %s", zh, en);

  need (flow, 40);
  flow->y += 8;
  flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, title, 10.5, TRUE, PANGO_ALIGN_LEFT,
                   TRUE) + 4;
}

/* @shared for a paragraph other certificates print too. */
static void
paragraph (Flow       *flow,
           gboolean    shared,
           const char *string,
           double      size)
{
  double h = text (flow, shared, 0, 0, CB_A4_WIDTH - 2 * MARGIN - 12, string, size, FALSE, PANGO_ALIGN_LEFT, FALSE);

  need (flow, h + 2);
  text (flow, shared, MARGIN + 12, flow->y, CB_A4_WIDTH - 2 * MARGIN - 12, string, size, FALSE, PANGO_ALIGN_LEFT,
        TRUE);
  flow->y += h + 3;
}

/* The rules of the rows a table has on one page: a line under each row
 * (@bottoms) and the columns' lines from @top down to the last: one stroke,
 * not one a cell. */
static void
rule_rows (Flow         *flow,
           guint         n_columns,
           double        width,
           double        top,
           const GArray *bottoms)
{
  double last;

  if (!drawing (flow) || bottoms->len == 0)
    return;
  last = g_array_index (bottoms, double, bottoms->len - 1);
  cairo_set_source_rgb (flow->cr, 0, 0, 0);
  cairo_set_line_width (flow->cr, 0.5);
  cairo_set_line_cap (flow->cr, CAIRO_LINE_CAP_SQUARE);
  for (guint r = 0; r < bottoms->len; r++)
    {
      cairo_move_to (flow->cr, MARGIN, g_array_index (bottoms, double, r));
      cairo_line_to (flow->cr, MARGIN + n_columns * width, g_array_index (bottoms, double, r));
    }
  for (guint c = 0; c <= n_columns; c++)
    {
      cairo_move_to (flow->cr, MARGIN + c * width, top);
      cairo_line_to (flow->cr, MARGIN + c * width, last);
    }
  cairo_stroke (flow->cr);
  cairo_set_line_cap (flow->cr, CAIRO_LINE_CAP_BUTT);
}

/* A table with ruled cells that breaks across pages, its header repeated. */
static void
table (Flow        *flow,
       guint        n_columns,
       const char **titles,
       guint        n_rows,
       const char *(*cell) (gpointer data, guint row, guint column),
       gpointer     data)
{
  double width = (CB_A4_WIDTH - 2 * MARGIN) / MAX (n_columns, 1);
  double header = 0;
  double top = 0;
  cairo_t *cr = flow->cr;
  g_autoptr(GArray) bottoms = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint c = 0; c < n_columns; c++)
    header = MAX (header, text (flow, TRUE, 0, 0, width - 2 * TABLE_PAD, titles[c], 8, TRUE, PANGO_ALIGN_CENTER,
                                FALSE));
  header += 2 * TABLE_PAD;

  for (guint r = 0; r <= n_rows; r++)
    {
      double height = 0;
      gboolean repeat = FALSE;

      if (r < n_rows)
        for (guint c = 0; c < n_columns; c++)
          height = MAX (height, text (flow, FALSE, 0, 0, width - 2 * TABLE_PAD, cell (data, r, c), 8.5, FALSE,
                                      PANGO_ALIGN_CENTER, FALSE));
      height += 2 * TABLE_PAD;
      if (r == 0 || flow->y + (r < n_rows ? height : 0) > BOTTOM)
        {
          if (r > 0)
            {
              rule_rows (flow, n_columns, width, top, bottoms);
              g_array_set_size (bottoms, 0);
              new_page (flow);
              repeat = TRUE;
            }
          else
            need (flow, header + height);
          /* The header, again on each page the table goes on to. */
          for (guint c = 0; c < n_columns; c++)
            {
              if (drawing (flow))
                {
                  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
                  cairo_rectangle (cr, MARGIN + c * width, flow->y, width, header);
                  cairo_fill (cr);
                  cairo_set_source_rgb (cr, 0, 0, 0);
                  cairo_set_line_width (cr, 0.5);
                  cairo_rectangle (cr, MARGIN + c * width, flow->y, width, header);
                  cairo_stroke (cr);
                }
              text (flow, TRUE, MARGIN + c * width + TABLE_PAD, flow->y + TABLE_PAD, width - 2 * TABLE_PAD,
                    titles[c], 8, TRUE, PANGO_ALIGN_CENTER, TRUE);
            }
          flow->y += header;
          top = flow->y;
          (void) repeat;
        }
      if (r == n_rows)
        break;
      for (guint c = 0; c < n_columns; c++)
        text (flow, FALSE, MARGIN + c * width + TABLE_PAD, flow->y + TABLE_PAD, width - 2 * TABLE_PAD,
              cell (data, r, c), 8.5, FALSE, PANGO_ALIGN_CENTER, TRUE);
      flow->y += height;
      g_array_append_val (bottoms, flow->y);
    }
  rule_rows (flow, n_columns, width, top, bottoms);
  flow->y += 6;
}

static const char *
standard_cell (gpointer data,
               guint    row,
               guint    column)
{
  CbCertificateStandard *s = g_ptr_array_index ((GPtrArray *) data, row);
  const char *values[] = { s->name, s->asset_no, s->range_text, s->uncertainty, s->certificate_no, s->valid_until };
  const char *value = column < G_N_ELEMENTS (values) ? values[column] : NULL;

  return value != NULL ? value : "—";
}

static const char *
result_cell (gpointer data,
             guint    row,
             guint    column)
{
  Table *t = data;
  Column *c = g_ptr_array_index (t->columns, column);

  return c->cells[row];
}

/* A label (Chinese over English) and its value, in one of two columns. */
static double
field (Flow       *flow,
       double      x,
       double      y,
       double      width,
       const char *zh,
       const char *en,
       const char *value)
{
  double label = 88;
  double h1 = text (flow, TRUE, x, y, label, zh, 9, TRUE, PANGO_ALIGN_LEFT, TRUE);
  double h2 = text (flow, TRUE, x, y + h1 - 2, label, en, 6, FALSE, PANGO_ALIGN_LEFT, TRUE);
  double h3 = text (flow, FALSE, x + label, y + 1, width - label, value != NULL && *value != '\0' ? value : "—",
                    9.5, FALSE, PANGO_ALIGN_LEFT, TRUE);

  if (drawing (flow))
    {
      cairo_set_line_width (flow->cr, 0.4);
      cairo_move_to (flow->cr, x + label, y + MAX (h3, h1 + h2) + 1);
      cairo_line_to (flow->cr, x + width - 8, y + MAX (h3, h1 + h2) + 1);
      cairo_stroke (flow->cr);
    }
  return MAX (h1 + h2 - 2, h3) + 4;
}

/* Two fields side by side; returns the taller one's height. */
static double
pair (Flow       *flow,
      double      y,
      double      half,
      const char *zh1,
      const char *en1,
      const char *value1,
      const char *zh2,
      const char *en2,
      const char *value2)
{
  double h1 = field (flow, MARGIN, y, half, zh1, en1, value1);
  double h2 = zh2 != NULL ? field (flow, MARGIN + half, y, half, zh2, en2, value2) : 0;

  return MAX (h1, h2);
}

static void
cover (Flow *flow)
{
  CbCertificate *self = flow->self;
  const CbCertificateFacts *f = self->facts;
  gboolean verification = self->kind == CB_TEMPLATE_KIND_VERIFICATION;
  const char *title = self->original ? "原始记录" : self->notice ? "检定结果通知书" : verification ? "检定证书"
                      : self->kind == CB_TEMPLATE_KIND_TEST ? "检测报告" : "校准证书";
  const char *title_en = self->original ? "Original Record" : self->notice ? "Notice of Verification Result"
                         : verification ? "Verification Certificate"
                         : self->kind == CB_TEMPLATE_KIND_TEST ? "Test Report" : "Calibration Certificate";
  const char *done = verification ? "检定" : self->kind == CB_TEMPLATE_KIND_TEST ? "检测" : "校准";
  g_autofree char *number = g_strdup_printf (self->original ? "样品编号 Sample No.: %s" : "证书编号 Certificate No.: %s",
                                             self->number);
  g_autofree char *performed = date_part (f->performed_at);
  g_autofree char *received = g_strdup (f->received != NULL ? f->received : "—");
  g_autofree char *performer = signed_text (f->performer, f->performed_at);
  g_autofree char *checker = signed_text (f->checker, f->checked_at);
  g_autofree char *approver = signed_text (f->approver, f->approved_at);
  g_autofree char *method = g_strdup (self->method);
  g_autofree char *lab_line = NULL;
  double half = (CB_A4_WIDTH - 2 * MARGIN) / 2;
  double caption;
  double y;

  /* The lab and the title. */
  lab_line = g_strdup_printf ("%s%s%s   授权证书号 Authorisation %s", self->lab->address,
                              self->lab->phone != NULL ? "   电话 Tel. " : "", self->lab->phone != NULL ? self->lab->phone : "",
                              self->lab->authorisation);
  flow->y = 40;
  flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, self->lab->name, 18, TRUE,
                   PANGO_ALIGN_CENTER, TRUE);
  if (self->lab->name_en != NULL)
    flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, self->lab->name_en, 8.5, FALSE,
                     PANGO_ALIGN_CENTER, TRUE);
  flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, lab_line, 6.5, FALSE, PANGO_ALIGN_CENTER,
                   TRUE);
  flow->y += 14;
  flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, title, 26, TRUE, PANGO_ALIGN_CENTER, TRUE);
  flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, title_en, 11, FALSE, PANGO_ALIGN_CENTER,
                   TRUE);
  flow->y += 6;
  flow->y += text (flow, FALSE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, number, 10.5, FALSE, PANGO_ALIGN_CENTER,
                   TRUE);
  flow->y += 6;

  /* Changes after issue, as the rules word them. */
  if (g_strcmp0 (self->certificate_kind, "supplement") == 0)
    {
      g_autofree char *s = g_strdup_printf ("本文件是对证书编号为 %s 的%s的补充文件。  A supplement to certificate %s.",
                                            self->replaced_number, title, self->replaced_number);

      flow->y += text (flow, FALSE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, s, 9.5, TRUE, PANGO_ALIGN_CENTER,
                       TRUE) + 6;
    }
  else if (g_strcmp0 (self->certificate_kind, "replacement") == 0)
    {
      g_autofree char *s = g_strdup_printf ("本证书代替证书编号 %s 的%s，原编号 %s 的%s作废。  "
                                            "This certificate replaces certificate %s, which is withdrawn.",
                                            self->replaced_number, title, self->replaced_number, title,
                                            self->replaced_number);

      flow->y += text (flow, FALSE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, s, 9.5, TRUE, PANGO_ALIGN_CENTER,
                       TRUE) + 6;
    }
  flow->y += 10;

  y = flow->y;
  y += field (flow, MARGIN, y, 2 * half, "委托单位", "Customer", f->customer);
  y += field (flow, MARGIN, y, 2 * half, "器具名称", "Instrument", f->instrument);
  y += pair (flow, y, half, "型号/规格", "Model", f->model, "出厂编号", "Serial No.", f->serial);
  y += pair (flow, y, half, "制造单位", "Manufacturer", f->maker, "测量范围", "Range", f->range_text);
  y += pair (flow, y, half, "准确度等级", "Accuracy", f->accuracy, "样品编号", "Sample No.", f->sample_label);
  y += field (flow, MARGIN, y, 2 * half, verification ? "检定依据" : "校准依据", "Reference", method);
  if (verification)
    y += field (flow, MARGIN, y, 2 * half, "检定结论", "Conclusion", self->conclusion);
  y += 4;
  y += field (flow, MARGIN, y, 2 * half, "批准人", "Approved by", approver);
  y += field (flow, MARGIN, y, 2 * half, "核验员", "Checked by", checker);
  y += field (flow, MARGIN, y, 2 * half, verification ? "检定员" : "校准员", verification ? "Verified by" : "Calibrated by",
              performer);
  y += 4;
  y += pair (flow, y, half, "接收日期", "Date of receipt", received,
             verification ? "检定日期" : "校准日期", "Date of measurement", performed);
  /* An original record is not issued: no date of issue, no validity. */
  if (!self->original)
    y += pair (flow, y, half, "签发日期", "Date of issue", self->issued_at,
               verification && !self->notice ? "有效期至" : NULL, "Valid until", self->valid_until);

  /* The seal over the date of issue, the QR code at the foot: only on a
   * certificate. */
  if (self->original)
    return;
  if (drawing (flow))
    {
      draw_seal (flow, CB_A4_WIDTH - MARGIN - SEAL_RADIUS - 30, y - 26);
      draw_qr (flow, MARGIN, BOTTOM - 80, 78);
    }
  /* The URL under the caption, as high as the caption is. */
  caption = text (flow, TRUE, MARGIN + 86, BOTTOM - 72, 200, "扫码验证证书\nScan to verify this certificate", 8,
                  FALSE, PANGO_ALIGN_LEFT, TRUE);
  text (flow, FALSE, MARGIN + 86, BOTTOM - 72 + caption + 4, CB_A4_WIDTH - 2 * MARGIN - 200, self->url, 6, FALSE,
        PANGO_ALIGN_LEFT, TRUE);
  (void) done;
}

static void
body (Flow *flow)
{
  CbCertificate *self = flow->self;
  const char *standard_titles[] = { "名称\nName", "编号\nNo.", "测量范围\nRange",
                                     "不确定度/准确度等级/最大允许误差\nUncertainty / class / MPE",
                                     "证书编号\nCertificate No.", "有效期至\nValid until" };
  g_autofree char *environment = g_strdup_printf ("温度 Temperature: %s °C    相对湿度 Relative humidity: %s %%RH",
                                                  self->temperature, self->humidity);

  heading (flow, "依据的技术文件", "Reference documents");
  paragraph (flow, TRUE, self->method, 9.5);
  heading (flow, "主要计量标准器", "Measurement standards used");
  if (self->facts->standards->len > 0)
    table (flow, G_N_ELEMENTS (standard_titles), standard_titles, self->facts->standards->len, standard_cell,
           self->facts->standards);
  else
    paragraph (flow, TRUE, "—", 9.5);
  heading (flow, "环境条件", "Environmental conditions");
  paragraph (flow, FALSE, environment, 9.5);

  if (self->original)
    heading (flow, "测量数据", "Measurement data");
  else
    heading (flow, self->kind == CB_TEMPLATE_KIND_VERIFICATION ? "检定结果" : "校准结果",
             self->kind == CB_TEMPLATE_KIND_VERIFICATION ? "Results of verification" : "Results of calibration");
  for (guint t = 0; t < self->tables->len; t++)
    {
      Table *result = g_ptr_array_index (self->tables, t);
      g_autofree const char **titles = g_new0 (const char *, result->columns->len);

      for (guint c = 0; c < result->columns->len; c++)
        titles[c] = ((Column *) g_ptr_array_index (result->columns, c))->title;
      need (flow, 60);
      flow->y += text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, result->title, 9.5, TRUE,
                       PANGO_ALIGN_LEFT, TRUE) + 3;
      table (flow, result->columns->len, titles, result->n_rows, result_cell, result);
    }
  for (guint r = 0; r < self->results->len; r++)
    paragraph (flow, FALSE, g_ptr_array_index (self->results, r), 9.5);

  heading (flow, "结论", "Conclusion");
  paragraph (flow, FALSE, self->conclusion, 10);
  for (guint s = 0; s < self->statements->len; s++)
    paragraph (flow, TRUE, g_ptr_array_index (self->statements, s), 9);
  if (self->original)
    {
      need (flow, 30);
      flow->y += 10;
      text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, "（以下空白）  —— End of record ——", 9, FALSE,
            PANGO_ALIGN_CENTER, TRUE);
      return;
    }
  {
    gboolean said = FALSE;

    for (guint s = 0; s < self->statements->len; s++)
      said |= strstr (g_ptr_array_index (self->statements, s), "仅对") != NULL;
    paragraph (flow, TRUE, said ? "The results relate only to the item calibrated."
                          : "本证书结果仅对所检（校）器具有效。 The results relate only to the item calibrated.", 9);
  }
  paragraph (flow, TRUE, "未经本机构书面批准，不得部分复制本证书。 This certificate shall not be reproduced except in full "
                   "without the written approval of the laboratory.", 8);
  need (flow, 30);
  flow->y += 10;
  text (flow, TRUE, MARGIN, flow->y, CB_A4_WIDTH - 2 * MARGIN, "（以下空白）  —— End of certificate ——", 9, FALSE,
        PANGO_ALIGN_CENTER, TRUE);
}

/* Lays out every page; draws the target ones. */
static guint
run_flow (CbCertificate *self,
          cairo_t       *cr,
          int            target)
{
  Flow flow = { self, cr, target, 0, TOP };

  draw_page_frame (&flow);
  cover (&flow);
  new_page (&flow);
  body (&flow);
  return flow.page + 1;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

/* What every printed page needs, from the record and the store's facts. */
static CbCertificate *
certificate_alloc (const CbLab               *lab,
                   CbRecord                  *record,
                   const CbCertificateFacts  *facts,
                   const char                *number,
                   const char                *kind,
                   const char                *replaced_number,
                   const char                *issued_at)
{
  CbTemplate *tmpl = cb_record_get_template (record);
  CbCertificate *self;
  CbCell cell;

  self = g_new0 (CbCertificate, 1);
  self->lab = lab_copy (lab);
  self->kind = cb_template_get_kind (tmpl);
  self->number = g_strdup (number);
  self->certificate_kind = g_strdup (kind != NULL ? kind : "original");
  self->replaced_number = g_strdup (replaced_number);
  self->issued_at = g_strdup (issued_at);
  self->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) table_free);
  self->results = g_ptr_array_new_with_free_func (g_free);
  self->statements = g_ptr_array_new_with_free_func (g_free);
  /* The facts are borrowed: copy what is printed. */
  {
    CbCertificateFacts *copy = g_new0 (CbCertificateFacts, 1);

    copy->customer = g_strdup (facts->customer);
    copy->customer_address = g_strdup (facts->customer_address);
    copy->sample_label = g_strdup (facts->sample_label);
    copy->instrument = g_strdup (facts->instrument);
    copy->model = g_strdup (facts->model);
    copy->serial = g_strdup (facts->serial);
    copy->maker = g_strdup (facts->maker);
    copy->range_text = g_strdup (facts->range_text);
    copy->accuracy = g_strdup (facts->accuracy);
    copy->received = g_strdup (facts->received);
    copy->performer = g_strdup (facts->performer);
    copy->performed_at = g_strdup (facts->performed_at);
    copy->checker = g_strdup (facts->checker);
    copy->checked_at = g_strdup (facts->checked_at);
    copy->approver = g_strdup (facts->approver);
    copy->approved_at = g_strdup (facts->approved_at);
    copy->standards = g_ptr_array_ref (facts->standards);
    self->facts = copy;
  }

  self->method = g_strdup_printf ("%s %s", cb_template_get_method_code (tmpl), cb_template_get_method_name (tmpl));
  self->temperature = cb_record_get_cell (record, "temperature", &cell, NULL) && cell.text != NULL
                      ? g_strdup (cell.text) : g_strdup ("—");
  self->humidity = cb_record_get_cell (record, "humidity", &cell, NULL) && cell.text != NULL
                   ? g_strdup (cell.text) : g_strdup ("—");
  return self;
}

/* Counts the pages once, so that each can say "of Y". */
static void
count_pages (CbCertificate *self)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  self->n_pages = 1;
  self->n_pages = run_flow (self, cr, -2);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

CbCertificate *
cb_certificate_new (const CbLab               *lab,
                    CbRecord                  *record,
                    const CbCertificateFacts  *facts,
                    const char                *number,
                    const char                *kind,
                    const char                *replaced_number,
                    const char                *issued_at,
                    GError                   **error)
{
  g_autoptr(CbCertificate) self = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autofree char *content = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *content_hash = NULL;
  CbTemplate *tmpl;
  JsonObject *section;
  const char *conclusion = NULL;

  g_return_val_if_fail (lab != NULL && record != NULL && facts != NULL && number != NULL, NULL);

  tmpl = cb_record_get_template (record);
  document = cb_template_to_json (tmpl);
  if (!json_object_has_member (json_node_get_object (document), "certificate"))
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("template %s says nothing of a certificate"), cb_template_get_id (tmpl));
      return NULL;
    }
  section = json_object_get_object_member (json_node_get_object (document), "certificate");

  self = certificate_alloc (lab, record, facts, number, kind, replaced_number, issued_at);
  switch (cb_record_get_conclusion (record, &conclusion))
    {
    case CB_CONCLUSION_INCOMPLETE:
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("the record is not concluded: a certificate needs every result"));
      return NULL;
    case CB_CONCLUSION_FAIL:
      self->notice = self->kind == CB_TEMPLATE_KIND_VERIFICATION;
      break;
    default:
      break;
    }
  self->conclusion = g_strdup (conclusion);
  if (self->kind == CB_TEMPLATE_KIND_VERIFICATION && issued_at != NULL && strlen (issued_at) >= 10)
    {
      int y = 0, m = 0, d = 0;

      if (sscanf (issued_at, "%d-%d-%d", &y, &m, &d) == 3)
        {
          g_autoptr(GDate) date = g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
          char buffer[16];

          g_date_add_years (date, 1);
          g_date_subtract_days (date, 1);
          g_date_strftime (buffer, sizeof buffer, "%Y-%m-%d", date);
          self->valid_until = g_strdup (buffer);
        }
    }
  if (!build_tables (self, record, section, error))
    return NULL;

  /* The identifier binds the number to the results it states. */
  results = cb_record_results_to_json (record);
  content = json_to_string (results, FALSE);
  content_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  seed = g_strdup_printf ("%s|%s|%s", number, content_hash, issued_at != NULL ? issued_at : "");
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
  self->identifier = g_ascii_strup (hash, 24);
  self->url = g_strdup_printf ("%s%s?h=%.16s", lab->verify_url, self->identifier, content_hash);

  count_pages (self);
  return g_steal_pointer (&self);
}

CbCertificate *
cb_certificate_new_original (const CbLab               *lab,
                             CbRecord                  *record,
                             const CbCertificateFacts  *facts,
                             const char                *label,
                             GError                   **error)
{
  g_autoptr(CbCertificate) self = NULL;
  const char *conclusion = NULL;

  g_return_val_if_fail (lab != NULL && record != NULL && facts != NULL, NULL);

  self = certificate_alloc (lab, record, facts, label != NULL ? label : "—", "original", NULL, NULL);
  self->original = TRUE;
  self->conclusion = cb_record_get_conclusion (record, &conclusion) == CB_CONCLUSION_INCOMPLETE || conclusion == NULL
                     ? g_strdup ("未完成  Not complete") : g_strdup (conclusion);
  build_all_tables (self, record);
  self->identifier = g_strdup (self->number);
  count_pages (self);
  return g_steal_pointer (&self);
}

void
cb_certificate_free (CbCertificate *self)
{
  if (self == NULL)
    return;
  cb_lab_free (self->lab);
  g_free (self->number);
  g_free (self->certificate_kind);
  g_free (self->replaced_number);
  g_free (self->issued_at);
  g_free (self->valid_until);
  g_free (self->identifier);
  g_free (self->url);
  g_free (self->conclusion);
  g_free (self->method);
  g_free (self->temperature);
  g_free (self->humidity);
  cb_certificate_facts_free (self->facts);
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->statements, g_ptr_array_unref);
  g_clear_pointer (&self->layouts, layouts_free);
  g_free (self);
}

const char *
cb_certificate_get_identifier (CbCertificate *self)
{
  return self->identifier;
}

const char *
cb_certificate_get_url (CbCertificate *self)
{
  return self->url;
}

guint
cb_certificate_get_n_pages (CbCertificate *self)
{
  return self->n_pages;
}

void
cb_certificate_render_page (CbCertificate *self,
                            cairo_t       *cr,
                            guint          page)
{
  g_return_if_fail (page < self->n_pages);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  run_flow (self, cr, (int) page);
  cairo_restore (cr);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
cb_certificate_to_pdf (CbCertificate  *self,
                       GError        **error)
{
  GByteArray *pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  g_autofree char *title = g_strdup_printf ("%s %s", self->number, self->lab->name);

  surface = cairo_pdf_surface_create_for_stream (append_bytes, pdf, CB_A4_WIDTH, CB_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, self->lab->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, self->identifier);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Calbench " PACKAGE_VERSION);
  cr = cairo_create (surface);
  run_flow (self, cr, -1);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (pdf);
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_RENDER,
                   _("the certificate could not be drawn: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (pdf);
}

CbCertificate *
cb_certificate_new_for_record (CbStore      *store,
                               const CbLab  *lab,
                               gint64        record_id,
                               const char   *number,
                               const char   *kind,
                               const char   *replaced_number,
                               GError      **error)
{
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbCertificateFacts) facts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (lab != NULL, NULL);

  record = cb_store_record_load (store, record_id, error);
  if (record == NULL)
    return NULL;
  facts = cb_store_certificate_facts (store, record_id, error);
  if (facts == NULL)
    return NULL;
  return cb_certificate_new (lab, record, facts, number, kind, replaced_number, today, error);
}

GBytes *
cb_certificate_to_signed_pdf (CbCertificate  *certificate,
                              const CbLab    *lab,
                              const char     *keys_dir,
                              GError        **error)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;

  g_return_val_if_fail (certificate != NULL, NULL);
  g_return_val_if_fail (keys_dir != NULL, NULL);

  pdf = cb_certificate_to_pdf (certificate, error);
  if (pdf == NULL)
    return NULL;
  cert_path = cb_keys_certificate_path (keys_dir);
  key_path = cb_keys_key_path (keys_dir);
  return cb_pdf_sign (pdf, cert_path, key_path, cb_lab_get_name (lab), error);
}
