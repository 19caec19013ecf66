/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-sync-codec.h"
#include "store/cb-store-accounts.h"
#include "core/cb-json-text.h"

G_DEFINE_QUARK (cb-sync-error-quark, cb_sync_error)

CbSyncChange *
cb_sync_change_new (CbAuditEntry *entry,
                    const char   *hash)
{
  CbSyncChange *change = g_new0 (CbSyncChange, 1);

  change->entry = entry;
  change->hash = g_strdup (hash);
  return change;
}

void
cb_sync_change_free (CbSyncChange *change)
{
  if (change == NULL)
    return;
  cb_audit_entry_free (change->entry);
  g_free (change->hash);
  g_free (change);
}

CbSyncBatch *
cb_sync_batch_new (const char *workstation)
{
  CbSyncBatch *batch = g_new0 (CbSyncBatch, 1);

  batch->workstation = g_strdup (workstation);
  batch->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sync_change_free);
  batch->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sync_row_map_free);
  return batch;
}

void
cb_sync_batch_free (CbSyncBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->workstation);
  g_ptr_array_unref (batch->changes);
  g_ptr_array_unref (batch->rows);
  g_free (batch);
}

void
cb_sync_ack_free (CbSyncAck *ack)
{
  if (ack == NULL)
    return;
  g_free (ack->status);
  g_free (ack->detail);
  g_free (ack);
}

CbSyncAcks *
cb_sync_acks_new (void)
{
  CbSyncAcks *acks = g_new0 (CbSyncAcks, 1);

  acks->acks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sync_ack_free);
  return acks;
}

void
cb_sync_acks_free (CbSyncAcks *acks)
{
  if (acks == NULL)
    return;
  g_ptr_array_unref (acks->acks);
  g_free (acks);
}

CbSyncPage *
cb_sync_page_new (void)
{
  CbSyncPage *page = g_new0 (CbSyncPage, 1);

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sync_change_free);
  return page;
}

void
cb_sync_page_free (CbSyncPage *page)
{
  if (page == NULL)
    return;
  g_ptr_array_unref (page->changes);
  g_free (page);
}

static gboolean
malformed (GError     **error,
           const char  *where,
           const char  *member,
           const char  *expected)
{
  if (where != NULL && *where != '\0')
    g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s.%s: expected %s"), where, member, expected);
  else
    g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: expected %s"), member, expected);
  return FALSE;
}

/* Deep nesting is refused before the parser sees it. */
static gboolean
check_depth (const char *data,
             gsize       length)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > CB_SYNC_MAX_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

JsonObject *
cb_sync_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("the body is empty: expected a JSON object"));
      return NULL;
    }
  if (!check_depth (data, length))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED,
                   _("the JSON is nested deeper than %d levels"), CB_SYNC_MAX_DEPTH);
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("the body is not UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("malformed JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("expected a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
cb_sync_check_members (JsonObject         *object,
                       const char * const *allowed,
                       const char         *where,
                       GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        if (where != NULL && *where != '\0')
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: unknown member “%s”"),
                       where, (const char *) l->data);
        else
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("unknown member “%s”"),
                       (const char *) l->data);
        return FALSE;
      }
  return TRUE;
}

gboolean
cb_sync_get_string (JsonObject  *object,
                    const char  *member,
                    const char  *where,
                    gboolean     nullable,
                    const char **value,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return nullable ? TRUE : malformed (error, where, member, _("a string"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return malformed (error, where, member, nullable ? _("a string or null") : _("a string"));
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
cb_sync_get_int (JsonObject  *object,
                 const char  *member,
                 const char  *where,
                 gint64       minimum,
                 gint64      *value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < minimum)
    return malformed (error, where, member,
                      minimum > 0 ? _("a positive integer") : _("an integer of at least 0"));
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          gboolean    *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return malformed (error, NULL, member, _("true or false"));
  *value = json_node_get_boolean (node);
  return TRUE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *member,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      malformed (error, NULL, member, _("an array"));
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > CB_SYNC_MAX_CHANGES)
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_TOO_LARGE, _("%s: more than %d items"),
                   member, CB_SYNC_MAX_CHANGES);
      return NULL;
    }
  return json_node_get_array (node);
}

/* Names of tables and fields, as the store allows them. */
static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_islower (*name) || *name == '_') || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
is_hash (const char *text)
{
  if (text == NULL || strlen (text) != 2 * CB_AUDIT_HASH_LENGTH)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
build_change (JsonBuilder        *builder,
              const CbSyncChange *change)
{
  const CbAuditEntry *entry = change->entry;

  json_builder_begin_object (builder);
  add_int (builder, "seq", entry->seq);
  add_string (builder, "utc", entry->utc);
  add_string (builder, "local_time", entry->local_time);
  add_string (builder, "actor", entry->actor);
  add_string (builder, "workstation", entry->workstation);
  add_string (builder, "table", entry->table);
  add_int (builder, "row", entry->row);
  add_string (builder, "field", entry->field);
  add_string (builder, "action", entry->action);
  add_string (builder, "old", entry->old_value);
  add_string (builder, "new", entry->new_value);
  add_string (builder, "reason", entry->reason);
  add_string (builder, "hash", change->hash);
  json_builder_end_object (builder);
}

JsonNode *
cb_sync_change_to_json (const CbSyncChange *change)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  build_change (builder, change);
  return json_builder_get_root (builder);
}

CbSyncChange *
cb_sync_change_from_json (JsonNode    *node,
                          const char  *where,
                          GError     **error)
{
  static const char * const members[] = {
    "seq", "utc", "local_time", "actor", "workstation", "table", "row", "field", "action", "old", "new",
    "reason", "hash", NULL
  };
  static const char * const actions[] = { "insert", "update", "void", NULL };
  g_autoptr(CbAuditEntry) entry = g_new0 (CbAuditEntry, 1);
  const char *utc, *local_time, *actor, *workstation, *table, *field, *action, *old_value, *new_value;
  const char *reason, *hash;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: expected an object"), where);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!cb_sync_check_members (object, members, where, error) ||
      !cb_sync_get_int (object, "seq", where, 1, &entry->seq, error) ||
      !cb_sync_get_string (object, "utc", where, FALSE, &utc, error) ||
      !cb_sync_get_string (object, "local_time", where, FALSE, &local_time, error) ||
      !cb_sync_get_string (object, "actor", where, FALSE, &actor, error) ||
      !cb_sync_get_string (object, "workstation", where, FALSE, &workstation, error) ||
      !cb_sync_get_string (object, "table", where, FALSE, &table, error) ||
      !cb_sync_get_int (object, "row", where, 0, &entry->row, error) ||
      !cb_sync_get_string (object, "field", where, FALSE, &field, error) ||
      !cb_sync_get_string (object, "action", where, FALSE, &action, error) ||
      !cb_sync_get_string (object, "old", where, TRUE, &old_value, error) ||
      !cb_sync_get_string (object, "new", where, TRUE, &new_value, error) ||
      !cb_sync_get_string (object, "reason", where, TRUE, &reason, error) ||
      !cb_sync_get_string (object, "hash", where, FALSE, &hash, error))
    return NULL;
  if (!is_identifier (table))
    {
      malformed (error, where, "table", _("a table name"));
      return NULL;
    }
  if (!is_identifier (field))
    {
      malformed (error, where, "field", _("a field name"));
      return NULL;
    }
  if (!g_strv_contains (actions, action))
    {
      malformed (error, where, "action", _("insert, update or void"));
      return NULL;
    }
  if (!is_hash (hash))
    {
      malformed (error, where, "hash", _("64 lowercase hex digits"));
      return NULL;
    }

  entry->utc = g_strdup (utc);
  entry->local_time = g_strdup (local_time);
  entry->actor = g_strdup (actor);
  entry->workstation = g_strdup (workstation);
  entry->table = g_strdup (table);
  entry->field = g_strdup (field);
  entry->action = g_strdup (action);
  entry->old_value = g_strdup (old_value);
  entry->new_value = g_strdup (new_value);
  entry->reason = g_strdup (reason);
  return cb_sync_change_new (g_steal_pointer (&entry), hash);
}

static char *
builder_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return cb_json_to_text (root, FALSE);
}

/* Changes in order, each one's sequence after the one before. */
static GPtrArray *
decode_changes (JsonObject  *object,
                const char  *member,
                GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sync_change_free);
  JsonArray *array = get_array (object, member, error);

  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", member, i);
      CbSyncChange *change = cb_sync_change_from_json (json_array_get_element (array, i), where, error);

      if (change == NULL)
        return NULL;
      g_ptr_array_add (changes, change);
      if (i > 0 && change->entry->seq != ((CbSyncChange *) g_ptr_array_index (changes, i - 1))->entry->seq + 1)
        {
          malformed (error, where, "seq", _("the sequence number after the previous change's"));
          return NULL;
        }
    }
  return g_steal_pointer (&changes);
}

char *
cb_sync_batch_encode (const CbSyncBatch *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "workstation", batch->workstation);
  add_int (builder, "head", batch->head);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->changes->len; i++)
    build_change (builder, g_ptr_array_index (batch->changes, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->rows->len; i++)
    {
      const CbSyncRowMap *map = g_ptr_array_index (batch->rows, i);

      json_builder_begin_object (builder);
      add_string (builder, "table", map->table);
      add_int (builder, "server_row", map->peer_row);
      add_int (builder, "bench_row", map->local_row);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return builder_text (builder);
}

CbSyncBatch *
cb_sync_batch_decode (const char  *data,
                      gsize        length,
                      GError     **error)
{
  static const char * const members[] = { "workstation", "head", "changes", "rows", NULL };
  static const char * const row_members[] = { "table", "server_row", "bench_row", NULL };
  g_autoptr(JsonObject) object = cb_sync_parse_object (data, length, error);
  g_autoptr(CbSyncBatch) batch = NULL;
  const char *workstation;
  JsonArray *rows;

  if (object == NULL ||
      !cb_sync_check_members (object, members, NULL, error) ||
      !cb_sync_get_string (object, "workstation", NULL, FALSE, &workstation, error))
    return NULL;
  if (*workstation == '\0' || strlen (workstation) > 128)
    {
      malformed (error, NULL, "workstation", _("a workstation name"));
      return NULL;
    }
  batch = cb_sync_batch_new (workstation);
  if (!cb_sync_get_int (object, "head", NULL, 0, &batch->head, error))
    return NULL;
  g_ptr_array_unref (batch->changes);
  batch->changes = decode_changes (object, "changes", error);
  if (batch->changes == NULL)
    {
      batch->changes = g_ptr_array_new ();
      return NULL;
    }
  rows = get_array (object, "rows", error);
  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autofree char *where = g_strdup_printf ("rows[%u]", i);
      JsonNode *node = json_array_get_element (rows, i);
      g_autoptr(CbSyncRowMap) map = g_new0 (CbSyncRowMap, 1);
      JsonObject *row;
      const char *table;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: expected an object"), where);
          return NULL;
        }
      row = json_node_get_object (node);
      if (!cb_sync_check_members (row, row_members, where, error) ||
          !cb_sync_get_string (row, "table", where, FALSE, &table, error) ||
          !cb_sync_get_int (row, "server_row", where, 1, &map->peer_row, error) ||
          !cb_sync_get_int (row, "bench_row", where, 1, &map->local_row, error))
        return NULL;
      if (!is_identifier (table))
        {
          malformed (error, where, "table", _("a table name"));
          return NULL;
        }
      map->table = g_strdup (table);
      g_ptr_array_add (batch->rows, g_steal_pointer (&map));
    }
  return g_steal_pointer (&batch);
}

char *
cb_sync_acks_encode (const CbSyncAcks *acks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "acks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < acks->acks->len; i++)
    {
      const CbSyncAck *ack = g_ptr_array_index (acks->acks, i);

      json_builder_begin_object (builder);
      add_int (builder, "seq", ack->seq);
      add_string (builder, "status", ack->status);
      add_int (builder, "server_row", ack->server_row);
      add_string (builder, "detail", ack->detail);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_int (builder, "server_seq", acks->server_seq);
  json_builder_end_object (builder);
  return builder_text (builder);
}

CbSyncAcks *
cb_sync_acks_decode (const char  *data,
                     gsize        length,
                     GError     **error)
{
  static const char * const members[] = { "acks", "server_seq", NULL };
  static const char * const ack_members[] = { "seq", "status", "server_row", "detail", NULL };
  static const char * const statuses[] = { "applied", "echo", "conflict", "refused", NULL };
  g_autoptr(JsonObject) object = cb_sync_parse_object (data, length, error);
  g_autoptr(CbSyncAcks) acks = cb_sync_acks_new ();
  JsonArray *array;

  if (object == NULL ||
      !cb_sync_check_members (object, members, NULL, error) ||
      !cb_sync_get_int (object, "server_seq", NULL, 0, &acks->server_seq, error))
    return NULL;
  array = get_array (object, "acks", error);
  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("acks[%u]", i);
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(CbSyncAck) ack = g_new0 (CbSyncAck, 1);
      const char *status, *detail;
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: expected an object"), where);
          return NULL;
        }
      item = json_node_get_object (node);
      if (!cb_sync_check_members (item, ack_members, where, error) ||
          !cb_sync_get_int (item, "seq", where, 1, &ack->seq, error) ||
          !cb_sync_get_string (item, "status", where, FALSE, &status, error) ||
          !cb_sync_get_int (item, "server_row", where, 0, &ack->server_row, error) ||
          !cb_sync_get_string (item, "detail", where, TRUE, &detail, error))
        return NULL;
      if (!g_strv_contains (statuses, status))
        {
          malformed (error, where, "status", _("applied, echo, conflict or refused"));
          return NULL;
        }
      ack->status = g_strdup (status);
      ack->detail = g_strdup (detail);
      g_ptr_array_add (acks->acks, g_steal_pointer (&ack));
    }
  return g_steal_pointer (&acks);
}

char *
cb_sync_page_encode (const CbSyncPage *page)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < page->changes->len; i++)
    build_change (builder, g_ptr_array_index (page->changes, i));
  json_builder_end_array (builder);
  add_int (builder, "next", page->next);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, page->more);
  json_builder_end_object (builder);
  return builder_text (builder);
}

CbSyncPage *
cb_sync_page_decode (const char  *data,
                     gsize        length,
                     GError     **error)
{
  static const char * const members[] = { "changes", "next", "more", NULL };
  g_autoptr(JsonObject) object = cb_sync_parse_object (data, length, error);
  g_autoptr(CbSyncPage) page = cb_sync_page_new ();

  if (object == NULL ||
      !cb_sync_check_members (object, members, NULL, error) ||
      !cb_sync_get_int (object, "next", NULL, 0, &page->next, error) ||
      !get_bool (object, "more", &page->more, error))
    return NULL;
  g_ptr_array_unref (page->changes);
  page->changes = decode_changes (object, "changes", error);
  if (page->changes == NULL)
    {
      page->changes = g_ptr_array_new ();
      return NULL;
    }
  return g_steal_pointer (&page);
}

char *
cb_sync_error_encode (const char *code,
                      const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string (builder, "code", code);
  add_string (builder, "message", message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder_text (builder);
}

static CbSyncError
error_for_status (guint status)
{
  switch (status)
    {
    case 400: return CB_SYNC_ERROR_MALFORMED;
    case 401: return CB_SYNC_ERROR_UNAUTHORISED;
    case 403: return CB_SYNC_ERROR_FORBIDDEN;
    case 404: return CB_SYNC_ERROR_NOT_FOUND;
    case 413: return CB_SYNC_ERROR_TOO_LARGE;
    default:  return CB_SYNC_ERROR_SERVER;
    }
}

void
cb_sync_error_decode (const char  *data,
                      gsize        length,
                      guint        status,
                      GError     **error)
{
  static const char * const codes[] = { "gap", "diverged", "tampered", NULL };
  static const CbSyncError code_errors[] = { CB_SYNC_ERROR_GAP, CB_SYNC_ERROR_DIVERGED, CB_SYNC_ERROR_TAMPERED };
  g_autoptr(JsonObject) object = cb_sync_parse_object (data, length, NULL);
  JsonObject *inner = NULL;
  const char *code = NULL, *message = NULL;
  CbSyncError sync_code = error_for_status (status);

  if (object != NULL && json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    inner = json_object_get_object_member (object, "error");
  if (inner != NULL)
    {
      cb_sync_get_string (inner, "code", NULL, TRUE, &code, NULL);
      cb_sync_get_string (inner, "message", NULL, TRUE, &message, NULL);
    }
  for (guint i = 0; code != NULL && codes[i] != NULL; i++)
    if (g_str_equal (code, codes[i]))
      sync_code = code_errors[i];
  if (message != NULL)
    g_set_error (error, CB_SYNC_ERROR, sync_code, _("the server answered %u: %s"), status, message);
  else
    g_set_error (error, CB_SYNC_ERROR, sync_code, _("the server answered %u"), status);
}

static char *
hex_encode (GBytes *bytes)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  GString *text = g_string_sized_new (length * 2);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static GBytes *
hex_decode (const char  *text,
            const char  *where,
            GError     **error)
{
  gsize length = strlen (text);
  g_autofree guint8 *data = NULL;

  if (length == 0 || length % 2 != 0)
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED,
                   _("%s: expected an even number of hex digits"), where);
      return NULL;
    }
  data = g_malloc (length / 2);
  for (gsize i = 0; i < length; i += 2)
    {
      int high = g_ascii_xdigit_value (text[i]);
      int low = g_ascii_xdigit_value (text[i + 1]);

      if (high < 0 || low < 0)
        {
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED,
                       _("%s: “%c” at %u is not a hex digit"), where, high < 0 ? text[i] : text[i + 1],
                       (guint) (high < 0 ? i : i + 1));
          return NULL;
        }
      data[i / 2] = (guint8) (high * 16 + low);
    }
  return g_bytes_new_take (g_steal_pointer (&data), length / 2);
}

char *
cb_sync_credentials_encode (GPtrArray *credentials)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < credentials->len; i++)
    {
      const CbCredentials *c = g_ptr_array_index (credentials, i);
      g_autofree char *hash = hex_encode (c->hash);
      g_autofree char *salt = hex_encode (c->salt);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "login");
      json_builder_add_string_value (builder, c->login);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, hash);
      json_builder_set_member_name (builder, "salt");
      json_builder_add_string_value (builder, salt);
      json_builder_set_member_name (builder, "iterations");
      json_builder_add_int_value (builder, c->iterations);
      json_builder_set_member_name (builder, "locked_until");
      if (c->locked_until != NULL)
        json_builder_add_string_value (builder, c->locked_until);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return cb_json_to_text (root, FALSE);
}

GPtrArray *
cb_sync_credentials_decode (const char  *data,
                            gsize        length,
                            GError     **error)
{
  static const char * const top[] = { "accounts", NULL };
  static const char * const members[] = { "login", "hash", "salt", "iterations", "locked_until", NULL };
  g_autoptr(JsonObject) object = cb_sync_parse_object (data, length, error);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_credentials_free);
  JsonNode *node;
  JsonArray *array;

  if (object == NULL || !cb_sync_check_members (object, top, NULL, error))
    return NULL;
  node = json_object_get_member (object, "accounts");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("accounts: expected an array"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("accounts[%u]", i);
      g_autofree char *hash_where = g_strdup_printf ("accounts[%u].hash", i);
      g_autofree char *salt_where = g_strdup_printf ("accounts[%u].salt", i);
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(CbCredentials) c = g_new0 (CbCredentials, 1);
      const char *login, *hash, *salt, *locked_until;
      JsonObject *entry;
      gint64 iterations;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_MALFORMED, _("%s: expected an object"), where);
          return NULL;
        }
      entry = json_node_get_object (element);
      if (!cb_sync_check_members (entry, members, where, error)
          || !cb_sync_get_string (entry, "login", where, FALSE, &login, error)
          || !cb_sync_get_string (entry, "hash", where, FALSE, &hash, error)
          || !cb_sync_get_string (entry, "salt", where, FALSE, &salt, error)
          || !cb_sync_get_int (entry, "iterations", where, 1, &iterations, error)
          || !cb_sync_get_string (entry, "locked_until", where, TRUE, &locked_until, error))
        return NULL;
      c->login = g_strdup (login);
      c->iterations = (guint) MIN (iterations, G_MAXUINT);
      c->locked_until = g_strdup (locked_until);
      if ((c->hash = hex_decode (hash, hash_where, error)) == NULL
          || (c->salt = hex_decode (salt, salt_where, error)) == NULL)
        return NULL;
      g_ptr_array_add (credentials, g_steal_pointer (&c));
    }
  return g_steal_pointer (&credentials);
}
