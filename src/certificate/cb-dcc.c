/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cb-dcc.h"
#include "store/cb-store-certificates.h"
#include "store/cb-store-records.h"

#define DCC_NAMESPACE "https://ptb.de/dcc"
#define SI_NAMESPACE  "https://ptb.de/si"

/* The units the templates write, by their D-SI names.  A prefix letter
 * before any of them is read as an SI prefix. */
static const struct { const char *unit; const char *dsi; } units[] = {
  { "1", "\\one" },
  { "V", "\\volt" },
  { "A", "\\ampere" },
  { "Ω", "\\ohm" },
  { "Hz", "\\hertz" },
  { "W", "\\watt" },
  { "F", "\\farad" },
  { "H", "\\henry" },
  { "Pa", "\\pascal" },
  { "bar", "\\bar" },
  { "s", "\\second" },
  { "min", "\\minute" },
  { "h", "\\hour" },
  { "K", "\\kelvin" },
  { "°C", "\\degreecelsius" },
  { "℃", "\\degreecelsius" },
  { "g", "\\gram" },
  { "m", "\\metre" },
  { "N", "\\newton" },
  { "%", "\\percent" },
  { "%RH", "\\percent" },
  { "%CH4", "\\percent" },
  { "%LEL", "\\percent" },
  { "ppm", "\\micro\\one" },
};

static const struct { const char *prefix; const char *dsi; } prefixes[] = {
  { "p", "\\pico" }, { "n", "\\nano" }, { "µ", "\\micro" }, { "μ", "\\micro" }, { "u", "\\micro" },
  { "m", "\\milli" }, { "c", "\\centi" }, { "k", "\\kilo" }, { "M", "\\mega" }, { "G", "\\giga" },
};

char *
cb_dcc_unit (const char *unit)
{
  if (unit == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (unit, units[i].unit))
      return g_strdup (units[i].dsi);
  for (guint p = 0; p < G_N_ELEMENTS (prefixes); p++)
    if (g_str_has_prefix (unit, prefixes[p].prefix))
      {
        const char *rest = unit + strlen (prefixes[p].prefix);

        for (guint i = 0; i < G_N_ELEMENTS (units); i++)
          if (g_str_equal (rest, units[i].unit) && units[i].dsi[0] == '\\' && strchr (units[i].unit, '%') == NULL
              && !g_str_equal (rest, "1"))
            return g_strconcat (prefixes[p].dsi, units[i].dsi, NULL);
      }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  GString *out;
  guint    depth;
} Writer;

static void
indent (Writer *w)
{
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

static void
open_element (Writer     *w,
              const char *name,
              const char *attributes)
{
  indent (w);
  g_string_append_printf (w->out, "<%s%s%s>\n", name, attributes != NULL ? " " : "",
                          attributes != NULL ? attributes : "");
  w->depth++;
}

static void
close_element (Writer     *w,
               const char *name)
{
  w->depth--;
  indent (w);
  g_string_append_printf (w->out, "</%s>\n", name);
}

static void
leaf (Writer     *w,
      const char *name,
      const char *attributes,
      const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  indent (w);
  g_string_append_printf (w->out, "<%s%s%s>%s</%s>\n", name, attributes != NULL ? " " : "",
                          attributes != NULL ? attributes : "", escaped, name);
}

/* A dcc:textType: the Chinese text, and the English one when given. */
static void
text_element (Writer     *w,
              const char *name,
              const char *zh,
              const char *en)
{
  open_element (w, name, NULL);
  leaf (w, "dcc:content", "lang=\"zh\"", zh != NULL && *zh != '\0' ? zh : "—");
  if (en != NULL)
    leaf (w, "dcc:content", "lang=\"en\"", en);
  close_element (w, name);
}

static char *
date_of (const char *time)
{
  if (time == NULL || strlen (time) < 10)
    return NULL;
  return g_strndup (time, 10);
}

static void
location (Writer     *w,
          const char *address)
{
  open_element (w, "dcc:location", NULL);
  open_element (w, "dcc:further", NULL);
  leaf (w, "dcc:content", "lang=\"zh\"", address != NULL && *address != '\0' ? address : "—");
  close_element (w, "dcc:further");
  leaf (w, "dcc:countryCode", NULL, "CN");
  close_element (w, "dcc:location");
}

static void
resp_person (Writer     *w,
             const char *name,
             const char *role,
             gboolean    main_signer)
{
  if (name == NULL)
    return;
  open_element (w, "dcc:respPerson", NULL);
  open_element (w, "dcc:person", NULL);
  text_element (w, "dcc:name", name, NULL);
  close_element (w, "dcc:person");
  leaf (w, "dcc:role", NULL, role);
  if (main_signer)
    leaf (w, "dcc:mainSigner", NULL, "true");
  leaf (w, "dcc:cryptElectronicSignature", NULL, "true");
  close_element (w, "dcc:respPerson");
}

/* A decimal as D-SI writes it: the record's digits, a plain minus. */
static gboolean
decimal_text (CbRecord   *record,
              const char *id,
              GString    *list)
{
  CbCell cell;

  if (!cb_record_get_cell (record, id, &cell, NULL) || cell.state != CB_CELL_OK || cell.text == NULL)
    return FALSE;
  if (list->len > 0)
    g_string_append_c (list, ' ');
  /* The engine's text of a computed value, else the value itself. */
  if (g_regex_match_simple ("^[-+]?((\\d*\\.\\d+)|(\\d+\\.\\d*)|(\\d+\\.?))([Ee][-+]?\\d+)?$", cell.text, 0, 0))
    g_string_append (list, cell.text);
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (list, g_ascii_formatd (buffer, sizeof buffer, "%.10g", cell.value));
    }
  return TRUE;
}

/* One column of a results table as a list quantity, with the expanded
 * uncertainty of each point when @uncertainty names the column of U. */
static gboolean
column_quantity (Writer      *w,
                 CbRecord    *record,
                 const char  *block,
                 guint        n_points,
                 const char  *column,
                 const char  *uncertainty,
                 double       k,
                 GError     **error)
{
  g_autofree char *first = g_strdup_printf ("%s/1/%s", block, column);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) expanded = g_string_new (NULL);
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autofree char *unit = NULL;
  g_autofree char *reference = NULL;
  gboolean numbers = TRUE;
  CbCell cell;

  if (!cb_record_get_cell (record, first, &cell, error))
    return FALSE;
  unit = cb_dcc_unit (cell.unit != NULL ? cell.unit : "1");
  if (unit == NULL)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("%s: the unit “%s” has no D-SI name for the DCC"), first, cell.unit);
      return FALSE;
    }
  for (guint p = 1; p <= n_points; p++)
    {
      g_autofree char *id = g_strdup_printf ("%s/%u/%s", block, p, column);
      CbCell point;

      if (!decimal_text (record, id, values))
        numbers = FALSE;
      if (cb_record_get_cell (record, id, &point, NULL))
        g_string_append_printf (texts, "%s%s", texts->len > 0 ? "; " : "", point.text != NULL ? point.text : "—");
      if (uncertainty != NULL)
        {
          g_autofree char *u = g_strdup_printf ("%s/%u/%s", block, p, uncertainty);

          if (!decimal_text (record, u, expanded))
            uncertainty = NULL;
        }
    }

  reference = g_strdup_printf ("calbench_%s_%s", block, column);
  open_element (w, "dcc:quantity", NULL);
  text_element (w, "dcc:name", cell.label, column);
  if (!numbers)
    {
      /* A column with a point not measured or not a number: said in words. */
      open_element (w, "dcc:noQuantity", NULL);
      leaf (w, "dcc:content", "lang=\"zh\"", texts->str);
      close_element (w, "dcc:noQuantity");
    }
  else
    {
      char k_text[G_ASCII_DTOSTR_BUF_SIZE];

      open_element (w, "si:realListXMLList", NULL);
      leaf (w, "si:valueXMLList", NULL, values->str);
      leaf (w, "si:unitXMLList", NULL, unit);
      if (uncertainty != NULL)
        {
          open_element (w, "si:expandedUncXMLList", NULL);
          leaf (w, "si:uncertaintyXMLList", NULL, expanded->str);
          leaf (w, "si:coverageFactorXMLList", NULL, g_ascii_formatd (k_text, sizeof k_text, "%g", k));
          leaf (w, "si:coverageProbabilityXMLList", NULL, k >= 2.5 ? "0.99" : "0.95");
          leaf (w, "si:distributionXMLList", NULL, "normal");
          close_element (w, "si:expandedUncXMLList");
        }
      close_element (w, "si:realListXMLList");
    }
  close_element (w, "dcc:quantity");
  return TRUE;
}

/* A results table of the certificate as a dcc:result with a list. */
static gboolean
table_result (Writer      *w,
              CbRecord    *record,
              JsonObject  *spec,
              GError     **error)
{
  CbTemplate *tmpl = cb_record_get_template (record);
  const char *block = json_object_get_string_member (spec, "block");
  JsonArray *columns = json_object_get_array_member (spec, "columns");
  int index = cb_template_find_block (tmpl, block);
  g_autoptr(CbPointBudget) budget = NULL;
  const char *with_uncertainty = NULL;
  guint n_points;

  if (index < 0)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("the template's certificate names a block '%s' it does not have"), block);
      return FALSE;
    }
  n_points = cb_record_get_n_points (record, (guint) index);
  if (n_points == 0)
    return TRUE;
  budget = cb_record_get_point_budget (record, (guint) index, 1);
  /* U belongs to the column printed just before it (the error, the
   * correction); it is not a quantity of its own. */
  for (guint c = 1; budget != NULL && c < json_array_get_length (columns); c++)
    if (g_strcmp0 (json_array_get_string_element (columns, c), budget->expanded_name) == 0)
      with_uncertainty = json_array_get_string_element (columns, c - 1);

  open_element (w, "dcc:result", NULL);
  text_element (w, "dcc:name", cb_template_get_block_title (tmpl, (guint) index), block);
  open_element (w, "dcc:data", NULL);
  open_element (w, "dcc:list", NULL);
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      const char *column = json_array_get_string_element (columns, c);

      if (budget != NULL && g_strcmp0 (column, budget->expanded_name) == 0)
        continue;
      if (!column_quantity (w, record, block, n_points, column,
                            g_strcmp0 (column, with_uncertainty) == 0 ? budget->expanded_name : NULL,
                            budget != NULL ? budget->k : 2, error))
        return FALSE;
    }
  close_element (w, "dcc:list");
  close_element (w, "dcc:data");
  close_element (w, "dcc:result");
  return TRUE;
}

/* A record-level result ("max_error") as a single real. */
static gboolean
single_quantity (Writer      *w,
                 CbRecord    *record,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *unit = NULL;
  CbCell cell;

  if (!cb_record_get_cell (record, name, &cell, error))
    return FALSE;
  unit = cb_dcc_unit (cell.unit != NULL ? cell.unit : "1");
  if (unit == NULL)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("%s: the unit “%s” has no D-SI name for the DCC"), name, cell.unit);
      return FALSE;
    }
  open_element (w, "dcc:quantity", NULL);
  text_element (w, "dcc:name", cell.label, name);
  if (decimal_text (record, name, value))
    {
      open_element (w, "si:real", NULL);
      leaf (w, "si:value", NULL, value->str);
      leaf (w, "si:unit", NULL, unit);
      close_element (w, "si:real");
    }
  else
    {
      open_element (w, "dcc:noQuantity", NULL);
      leaf (w, "dcc:content", "lang=\"zh\"", cell.text != NULL ? cell.text : "—");
      close_element (w, "dcc:noQuantity");
    }
  close_element (w, "dcc:quantity");
  return TRUE;
}

static void
condition (Writer     *w,
           CbRecord   *record,
           const char *name,
           const char *zh,
           const char *en,
           const char *dsi)
{
  g_autoptr(GString) value = g_string_new (NULL);

  if (!decimal_text (record, name, value))
    return;
  open_element (w, "dcc:influenceCondition", NULL);
  text_element (w, "dcc:name", zh, en);
  open_element (w, "dcc:data", NULL);
  open_element (w, "dcc:quantity", NULL);
  open_element (w, "si:real", NULL);
  leaf (w, "si:value", NULL, value->str);
  leaf (w, "si:unit", NULL, dsi);
  close_element (w, "si:real");
  close_element (w, "dcc:quantity");
  close_element (w, "dcc:data");
  close_element (w, "dcc:influenceCondition");
}

char *
cb_dcc_export (CbStore      *store,
               const CbLab  *lab,
               gint64        certificate_id,
               GError      **error)
{
  g_autoptr(CbStoredCertificate) issued = NULL;
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbCertificateFacts) facts = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autofree char *performed = NULL;
  g_autofree char *method = NULL;
  Writer w = { g_string_new (NULL), 0 };
  CbTemplate *tmpl;
  JsonObject *section;
  JsonArray *tables, *results, *statements;
  const char *conclusion = NULL;
  CbConclusion decided;

  g_return_val_if_fail (store != NULL && lab != NULL, NULL);

  issued = cb_store_certificate_get (store, certificate_id, error);
  if (issued == NULL)
    goto failed;
  record = cb_store_record_load (store, issued->record_id, error);
  if (record == NULL)
    goto failed;
  facts = cb_store_certificate_facts (store, issued->record_id, error);
  if (facts == NULL)
    goto failed;
  pdf = cb_store_certificate_get_pdf (store, certificate_id, NULL);
  tmpl = cb_record_get_template (record);
  document = cb_template_to_json (tmpl);
  section = json_object_has_member (json_node_get_object (document), "certificate")
            ? json_object_get_object_member (json_node_get_object (document), "certificate") : NULL;
  if (section == NULL)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("template %s says nothing of a certificate"), cb_template_get_id (tmpl));
      goto failed;
    }
  tables = json_object_has_member (section, "tables") ? json_object_get_array_member (section, "tables") : NULL;
  results = json_object_has_member (section, "results") ? json_object_get_array_member (section, "results") : NULL;
  statements = json_object_has_member (section, "statements") ? json_object_get_array_member (section, "statements")
                                                              : NULL;
  performed = date_of (facts->performed_at);
  if (performed == NULL)
    {
      g_set_error (error, CB_CERTIFICATE_ERROR, CB_CERTIFICATE_ERROR_INVALID,
                   _("certificate %s: its record has no performer's signature, so no date of measurement"),
                   issued->number);
      goto failed;
    }
  method = g_strdup_printf ("%s %s", cb_template_get_method_code (tmpl), cb_template_get_method_name (tmpl));
  decided = cb_record_get_conclusion (record, &conclusion);

  g_string_append (w.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  open_element (&w, "dcc:digitalCalibrationCertificate",
                "xmlns:dcc=\"" DCC_NAMESPACE "\" xmlns:si=\"" SI_NAMESPACE "\" schemaVersion=\"3.1.2\"");

  /* Administrative data. */
  open_element (&w, "dcc:administrativeData", NULL);
  open_element (&w, "dcc:dccSoftware", NULL);
  open_element (&w, "dcc:software", NULL);
  text_element (&w, "dcc:name", "Calbench", "Calbench");
  leaf (&w, "dcc:release", NULL, PACKAGE_VERSION);
  leaf (&w, "dcc:type", NULL, "application");
  close_element (&w, "dcc:software");
  close_element (&w, "dcc:dccSoftware");

  open_element (&w, "dcc:coreData", NULL);
  leaf (&w, "dcc:countryCodeISO3166_1", NULL, "CN");
  leaf (&w, "dcc:usedLangCodeISO639_1", NULL, "zh");
  leaf (&w, "dcc:usedLangCodeISO639_1", NULL, "en");
  leaf (&w, "dcc:mandatoryLangCodeISO639_1", NULL, "zh");
  leaf (&w, "dcc:uniqueIdentifier", NULL, issued->number);
  open_element (&w, "dcc:identifications", NULL);
  open_element (&w, "dcc:identification", NULL);
  leaf (&w, "dcc:issuer", NULL, "calibrationLaboratory");
  leaf (&w, "dcc:value", NULL, facts->sample_label);
  text_element (&w, "dcc:name", "样品编号", "Sample number");
  close_element (&w, "dcc:identification");
  if (issued->sha256 != NULL)
    {
      open_element (&w, "dcc:identification", NULL);
      leaf (&w, "dcc:issuer", NULL, "calibrationLaboratory");
      leaf (&w, "dcc:value", NULL, issued->sha256);
      text_element (&w, "dcc:name", "签发的 PDF 证书的 SHA-256", "SHA-256 of the issued PDF certificate");
      close_element (&w, "dcc:identification");
    }
  close_element (&w, "dcc:identifications");
  if (facts->received != NULL && strlen (facts->received) >= 10)
    {
      g_autofree char *received = date_of (facts->received);

      leaf (&w, "dcc:receiptDate", NULL, received);
    }
  leaf (&w, "dcc:beginPerformanceDate", NULL, performed);
  leaf (&w, "dcc:endPerformanceDate", NULL, performed);
  leaf (&w, "dcc:performanceLocation", NULL, "laboratory");
  close_element (&w, "dcc:coreData");

  open_element (&w, "dcc:items", NULL);
  open_element (&w, "dcc:item", NULL);
  text_element (&w, "dcc:name", facts->instrument, NULL);
  open_element (&w, "dcc:manufacturer", NULL);
  text_element (&w, "dcc:name", facts->maker, NULL);
  close_element (&w, "dcc:manufacturer");
  if (facts->model != NULL)
    leaf (&w, "dcc:model", NULL, facts->model);
  open_element (&w, "dcc:identifications", NULL);
  open_element (&w, "dcc:identification", NULL);
  leaf (&w, "dcc:issuer", NULL, "manufacturer");
  leaf (&w, "dcc:value", NULL, facts->serial != NULL ? facts->serial : "—");
  text_element (&w, "dcc:name", "出厂编号", "Serial number");
  close_element (&w, "dcc:identification");
  close_element (&w, "dcc:identifications");
  close_element (&w, "dcc:item");
  close_element (&w, "dcc:items");

  open_element (&w, "dcc:calibrationLaboratory", NULL);
  leaf (&w, "dcc:calibrationLaboratoryCode", NULL, cb_lab_get_authorisation (lab));
  open_element (&w, "dcc:contact", NULL);
  text_element (&w, "dcc:name", cb_lab_get_name (lab), NULL);
  leaf (&w, "dcc:eMail", NULL, "");
  if (cb_lab_get_phone (lab) != NULL)
    leaf (&w, "dcc:phone", NULL, cb_lab_get_phone (lab));
  location (&w, cb_lab_get_address (lab));
  close_element (&w, "dcc:contact");
  close_element (&w, "dcc:calibrationLaboratory");

  open_element (&w, "dcc:respPersons", NULL);
  resp_person (&w, facts->performer, cb_template_get_kind (tmpl) == CB_TEMPLATE_KIND_VERIFICATION ? "检定员 performer"
                                                                                                   : "校准员 performer", FALSE);
  resp_person (&w, facts->checker, "核验员 checker", FALSE);
  resp_person (&w, facts->approver, "批准人 approver", TRUE);
  close_element (&w, "dcc:respPersons");

  open_element (&w, "dcc:customer", NULL);
  text_element (&w, "dcc:name", facts->customer, NULL);
  leaf (&w, "dcc:eMail", NULL, "");
  location (&w, facts->customer_address);
  close_element (&w, "dcc:customer");

  /* The conformity statement with the decision rule, and the template's. */
  open_element (&w, "dcc:statements", NULL);
  open_element (&w, "dcc:statement", NULL);
  leaf (&w, "dcc:norm", NULL, method);
  open_element (&w, "dcc:declaration", NULL);
  leaf (&w, "dcc:content", "lang=\"zh\"", conclusion != NULL ? conclusion : "—");
  close_element (&w, "dcc:declaration");
  if (decided == CB_CONCLUSION_PASS || decided == CB_CONCLUSION_FAIL)
    leaf (&w, "dcc:conformity", NULL, decided == CB_CONCLUSION_PASS ? "pass" : "fail");
  close_element (&w, "dcc:statement");
  for (guint s = 0; statements != NULL && s < json_array_get_length (statements); s++)
    {
      open_element (&w, "dcc:statement", NULL);
      open_element (&w, "dcc:declaration", NULL);
      leaf (&w, "dcc:content", "lang=\"zh\"", json_array_get_string_element (statements, s));
      close_element (&w, "dcc:declaration");
      close_element (&w, "dcc:statement");
    }
  close_element (&w, "dcc:statements");
  close_element (&w, "dcc:administrativeData");

  /* The results, as the certificate states them. */
  open_element (&w, "dcc:measurementResults", NULL);
  open_element (&w, "dcc:measurementResult", NULL);
  text_element (&w, "dcc:name", cb_template_get_title (tmpl), NULL);
  open_element (&w, "dcc:usedMethods", NULL);
  open_element (&w, "dcc:usedMethod", NULL);
  text_element (&w, "dcc:name", cb_template_get_method_name (tmpl), NULL);
  leaf (&w, "dcc:norm", NULL, cb_template_get_method_code (tmpl));
  close_element (&w, "dcc:usedMethod");
  close_element (&w, "dcc:usedMethods");
  if (facts->standards->len > 0)
    {
      open_element (&w, "dcc:measuringEquipments", NULL);
      for (guint i = 0; i < facts->standards->len; i++)
        {
          const CbCertificateStandard *standard = g_ptr_array_index (facts->standards, i);

          open_element (&w, "dcc:measuringEquipment", NULL);
          text_element (&w, "dcc:name", standard->name, NULL);
          if (standard->model != NULL)
            leaf (&w, "dcc:model", NULL, standard->model);
          open_element (&w, "dcc:identifications", NULL);
          open_element (&w, "dcc:identification", NULL);
          leaf (&w, "dcc:issuer", NULL, "owner");
          leaf (&w, "dcc:value", NULL, standard->asset_no);
          text_element (&w, "dcc:name", "编号", "Asset number");
          close_element (&w, "dcc:identification");
          if (standard->certificate_no != NULL)
            {
              g_autofree char *valid = g_strdup_printf ("证书编号（有效期至 %s）",
                                                        standard->valid_until != NULL ? standard->valid_until : "—");

              open_element (&w, "dcc:identification", NULL);
              leaf (&w, "dcc:issuer", NULL, "calibrationLaboratory");
              leaf (&w, "dcc:value", NULL, standard->certificate_no);
              text_element (&w, "dcc:name", valid, "Calibration certificate");
              close_element (&w, "dcc:identification");
            }
          close_element (&w, "dcc:identifications");
          close_element (&w, "dcc:measuringEquipment");
        }
      close_element (&w, "dcc:measuringEquipments");
    }
  {
    gsize mark = w.out->len;

    open_element (&w, "dcc:influenceConditions", NULL);
    {
      gsize inside = w.out->len;

      condition (&w, record, "temperature", "温度", "Temperature", "\\degreecelsius");
      condition (&w, record, "humidity", "相对湿度", "Relative humidity", "\\percent");
      if (w.out->len == inside)
        {
          /* None stated: no empty list. */
          g_string_truncate (w.out, mark);
          w.depth--;
        }
      else
        close_element (&w, "dcc:influenceConditions");
    }
  }
  open_element (&w, "dcc:results", NULL);
  for (guint t = 0; tables != NULL && t < json_array_get_length (tables); t++)
    if (!table_result (&w, record, json_array_get_object_element (tables, t), error))
      goto failed;
  if (results != NULL && json_array_get_length (results) > 0)
    {
      open_element (&w, "dcc:result", NULL);
      text_element (&w, "dcc:name", "结果汇总", "Summary");
      open_element (&w, "dcc:data", NULL);
      for (guint r = 0; r < json_array_get_length (results); r++)
        if (!single_quantity (&w, record, json_array_get_string_element (results, r), error))
          goto failed;
      close_element (&w, "dcc:data");
      close_element (&w, "dcc:result");
    }
  close_element (&w, "dcc:results");
  close_element (&w, "dcc:measurementResult");
  close_element (&w, "dcc:measurementResults");

  /* The certificate as it was issued, signed. */
  if (pdf != NULL)
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
      g_autofree char *file_name = g_strdup_printf ("%s.pdf", issued->number);

      open_element (&w, "dcc:document", NULL);
      leaf (&w, "dcc:fileName", NULL, file_name);
      leaf (&w, "dcc:mimeType", NULL, "application/pdf");
      leaf (&w, "dcc:dataBase64", NULL, base64);
      close_element (&w, "dcc:document");
    }
  close_element (&w, "dcc:digitalCalibrationCertificate");
  return g_string_free (w.out, FALSE);

failed:
  g_string_free (w.out, TRUE);
  return NULL;
}
