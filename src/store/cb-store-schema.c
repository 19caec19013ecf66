/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-store-private.h"

/* Rows are never deleted: a voided row stays, with the reason. */
#define VOIDABLE \
  "voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)), void_reason TEXT"

/* Version 1: the whole lab domain.  Plain SQL that PostgreSQL also reads,
 * but for AUTOINCREMENT, which keeps ids from ever being reused. */
static const char migration_1[] =
  /* The audit trail: append-only, hash-chained (cb-store-audit.c). */
  "CREATE TABLE audit ("
  " seq INTEGER PRIMARY KEY,"
  " utc TEXT NOT NULL, local_time TEXT NOT NULL,"
  " actor TEXT NOT NULL, workstation TEXT NOT NULL,"
  " tbl TEXT NOT NULL, row_id INTEGER NOT NULL, field TEXT NOT NULL,"
  " action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'void')),"
  " old_value TEXT, new_value TEXT, reason TEXT,"
  " hash BLOB NOT NULL);"
  "CREATE INDEX audit_row ON audit (tbl, row_id, field);"
  "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit"
  " BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit"
  " BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"

  /* Staff, their roles, qualifications and authorisations. */
  "CREATE TABLE staff (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, printed_name TEXT,"
  " active INTEGER NOT NULL DEFAULT 1, " VOIDABLE ");"
  "CREATE TABLE staff_roles (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " staff_id INTEGER NOT NULL REFERENCES staff (id),"
  " role TEXT NOT NULL CHECK (role IN ('reception', 'metrologist', 'checker', 'approver', 'admin')),"
  " " VOIDABLE ", UNIQUE (staff_id, role));"
  "CREATE TABLE qualifications (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " staff_id INTEGER NOT NULL REFERENCES staff (id), certificate_no TEXT NOT NULL,"
  " discipline TEXT NOT NULL, issuer TEXT, valid_from TEXT, valid_until TEXT NOT NULL, " VOIDABLE ");"
  "CREATE TABLE authorisations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " staff_id INTEGER NOT NULL REFERENCES staff (id), item TEXT NOT NULL,"
  " kind TEXT NOT NULL CHECK (kind IN ('perform', 'check', 'approve')),"
  " valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, " VOIDABLE ");"
  "CREATE INDEX authorisations_staff ON authorisations (staff_id, item, kind);"
  "CREATE TABLE accounts (staff_id INTEGER PRIMARY KEY REFERENCES staff (id),"
  " password_hash BLOB NOT NULL, salt BLOB NOT NULL, iterations INTEGER NOT NULL,"
  " failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT, " VOIDABLE ");"
  "CREATE TABLE login_log (id INTEGER PRIMARY KEY AUTOINCREMENT, login TEXT NOT NULL,"
  " utc TEXT NOT NULL, workstation TEXT NOT NULL, success INTEGER NOT NULL, detail TEXT);"

  /* Customers and their instruments. */
  "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
  " address TEXT, phone TEXT, credit_code TEXT, " VOIDABLE ");"
  "CREATE TABLE contacts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " customer_id INTEGER NOT NULL REFERENCES customers (id), name TEXT NOT NULL,"
  " phone TEXT, email TEXT, " VOIDABLE ");"
  "CREATE TABLE licences (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " customer_id INTEGER NOT NULL REFERENCES customers (id), kind TEXT NOT NULL,"
  " number TEXT NOT NULL, valid_until TEXT, " VOIDABLE ");"
  "CREATE TABLE prices (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL,"
  " method_id INTEGER REFERENCES methods (id), customer_id INTEGER REFERENCES customers (id),"
  " amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0), currency TEXT NOT NULL DEFAULT 'CNY',"
  " valid_from TEXT, " VOIDABLE ");"
  "CREATE TABLE instrument_types (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
  " maker TEXT, model TEXT, range_text TEXT, accuracy TEXT, characteristics TEXT, " VOIDABLE ");"
  "CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " customer_id INTEGER NOT NULL REFERENCES customers (id),"
  " type_id INTEGER REFERENCES instrument_types (id), serial TEXT, asset_no TEXT,"
  " last_calibrated TEXT, next_due TEXT, " VOIDABLE ");"
  "CREATE INDEX ledger_serial ON ledger (serial);"
  "CREATE INDEX ledger_due ON ledger (next_due);"

  /* Orders, quotations, contracts and fees. */
  "CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
  " customer_id INTEGER NOT NULL REFERENCES customers (id), received TEXT NOT NULL, due TEXT,"
  " requirements TEXT, decision_rule TEXT,"
  " state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('draft', 'received', 'in-progress', 'completed', 'handed-over', 'cancelled')),"
  " customer_signature BLOB, " VOIDABLE ");"
  "CREATE INDEX orders_customer ON orders (customer_id);"
  "CREATE TABLE order_lines (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " order_id INTEGER NOT NULL REFERENCES orders (id), ledger_id INTEGER REFERENCES ledger (id),"
  " item TEXT NOT NULL, quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),"
  " accessories TEXT, fee_cents INTEGER CHECK (fee_cents >= 0), " VOIDABLE ");"
  "CREATE TABLE quotations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " order_id INTEGER NOT NULL REFERENCES orders (id), amount_cents INTEGER NOT NULL,"
  " state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'reviewed', 'approved', 'rejected')),"
  " reviewed_by INTEGER REFERENCES staff (id), approved_by INTEGER REFERENCES staff (id), " VOIDABLE ");"
  "CREATE TABLE contracts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " customer_id INTEGER NOT NULL REFERENCES customers (id), number TEXT NOT NULL UNIQUE,"
  " signed TEXT, amount_cents INTEGER, " VOIDABLE ");"
  "CREATE TABLE fees (id INTEGER PRIMARY KEY AUTOINCREMENT, order_id INTEGER REFERENCES orders (id),"
  " contract_id INTEGER REFERENCES contracts (id), amount_cents INTEGER NOT NULL,"
  " paid INTEGER NOT NULL DEFAULT 0, " VOIDABLE ");"

  /* Samples, their history, anomalies and photos. */
  "CREATE TABLE samples (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL UNIQUE,"
  " order_id INTEGER NOT NULL REFERENCES orders (id), ledger_id INTEGER REFERENCES ledger (id),"
  " name TEXT NOT NULL, model TEXT, serial TEXT, range_text TEXT, accuracy_class TEXT, maker TEXT,"
  " requirement TEXT, received_by INTEGER REFERENCES staff (id), received_at TEXT, due TEXT,"
  " state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'waiting', 'in-measurement', 'measured', 'returned', 'handed-over')),"
  " location TEXT, " VOIDABLE ");"
  "CREATE INDEX samples_order ON samples (order_id);"
  "CREATE INDEX samples_serial ON samples (serial);"
  "CREATE TABLE sample_events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " sample_id INTEGER NOT NULL REFERENCES samples (id), utc TEXT NOT NULL, state TEXT,"
  " location TEXT, actor TEXT NOT NULL, note TEXT);"
  "CREATE INDEX sample_events_sample ON sample_events (sample_id);"
  "CREATE TABLE sample_anomalies (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " sample_id INTEGER NOT NULL REFERENCES samples (id), description TEXT NOT NULL,"
  " reported_at TEXT NOT NULL, " VOIDABLE ");"
  "CREATE TABLE sample_photos (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " sample_id INTEGER NOT NULL REFERENCES samples (id), content BLOB NOT NULL,"
  " sha256 TEXT NOT NULL, taken_at TEXT NOT NULL, " VOIDABLE ");"
  "CREATE TRIGGER sample_photos_never_replaced BEFORE UPDATE OF content, sha256 ON sample_photos"
  " BEGIN SELECT RAISE (ABORT, 'a sample photo is never replaced'); END;"

  /* Methods, tasks and delays. */
  "CREATE TABLE methods (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,"
  " kind TEXT NOT NULL CHECK (kind IN ('verification-regulation', 'calibration-specification', 'standard', 'in-house')),"
  " status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'withdrawn', 'superseded')),"
  " effective_from TEXT, withdrawn_on TEXT, superseded_by INTEGER REFERENCES methods (id), " VOIDABLE ");"
  "CREATE INDEX methods_code ON methods (code);"
  "CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " sample_id INTEGER NOT NULL REFERENCES samples (id), item TEXT NOT NULL,"
  " method_id INTEGER REFERENCES methods (id), assignee_id INTEGER REFERENCES staff (id),"
  " bench TEXT, due TEXT,"
  " state TEXT NOT NULL DEFAULT 'to-measure' CHECK (state IN ('to-measure', 'measuring', 'to-check', 'to-approve', 'returned', 'approved', 'cancelled')),"
  " " VOIDABLE ");"
  "CREATE INDEX tasks_sample ON tasks (sample_id);"
  "CREATE INDEX tasks_assignee ON tasks (assignee_id, state);"
  "CREATE TABLE delay_requests (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " task_id INTEGER NOT NULL REFERENCES tasks (id), reason TEXT NOT NULL, new_due TEXT NOT NULL,"
  " state TEXT NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'approved', 'refused')),"
  " decided_by INTEGER REFERENCES staff (id), " VOIDABLE ");"

  /* Standards and equipment. */
  "CREATE TABLE standards (id INTEGER PRIMARY KEY AUTOINCREMENT, asset_no TEXT NOT NULL UNIQUE,"
  " name TEXT NOT NULL, model TEXT, serial TEXT, range_text TEXT, uncertainty TEXT,"
  " traceability_body TEXT, certificate_no TEXT, valid_until TEXT,"
  " status TEXT NOT NULL DEFAULT 'in-service' CHECK (status IN ('in-service', 'out-of-service', 'under-repair')),"
  " " VOIDABLE ");"
  "CREATE TABLE standard_usage (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " standard_id INTEGER NOT NULL REFERENCES standards (id),"
  " record_id INTEGER NOT NULL REFERENCES records (id), used_at TEXT NOT NULL);"
  "CREATE INDEX standard_usage_standard ON standard_usage (standard_id);"
  "CREATE TABLE external_certificates (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " standard_id INTEGER NOT NULL REFERENCES standards (id), number TEXT NOT NULL, issuer TEXT,"
  " scan BLOB, scan_sha256 TEXT, valid_until TEXT NOT NULL, " VOIDABLE ");"

  /* Record templates, records, readings and signatures. */
  "CREATE TABLE templates (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
  " item TEXT NOT NULL, method_id INTEGER REFERENCES methods (id), " VOIDABLE ");"
  "CREATE TABLE template_versions (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " template_id INTEGER NOT NULL REFERENCES templates (id), version INTEGER NOT NULL,"
  " document TEXT NOT NULL,"
  " state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'approved', 'retired')),"
  " author_id INTEGER NOT NULL REFERENCES staff (id), approved_by INTEGER REFERENCES staff (id),"
  " approved_at TEXT, " VOIDABLE ","
  " UNIQUE (template_id, version), CHECK (approved_by IS NULL OR approved_by <> author_id));"
  "CREATE TABLE records (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " template_version_id INTEGER NOT NULL REFERENCES template_versions (id),"
  " task_id INTEGER NOT NULL REFERENCES tasks (id), performer_id INTEGER REFERENCES staff (id),"
  " state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'performed', 'checked', 'approved', 'returned')),"
  " data TEXT NOT NULL DEFAULT '{}', results TEXT, return_reason TEXT, " VOIDABLE ");"
  "CREATE INDEX records_task ON records (task_id);"
  "CREATE TABLE readings (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " record_id INTEGER NOT NULL REFERENCES records (id), cell TEXT NOT NULL, value TEXT NOT NULL,"
  " source TEXT NOT NULL CHECK (source IN ('typed', 'instrument')), instrument TEXT,"
  " raw_reply TEXT, taken_at TEXT NOT NULL, environment TEXT, " VOIDABLE ");"
  "CREATE INDEX readings_record ON readings (record_id, cell);"
  "CREATE TABLE signatures (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " record_id INTEGER NOT NULL REFERENCES records (id), record_hash TEXT NOT NULL,"
  " signer_id INTEGER NOT NULL REFERENCES staff (id),"
  " meaning TEXT NOT NULL CHECK (meaning IN ('performed', 'checked', 'approved')),"
  " signed_at TEXT NOT NULL, " VOIDABLE ");"
  "CREATE INDEX signatures_record ON signatures (record_id);"

  /* Certificates. */
  "CREATE TABLE certificates (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
  " record_id INTEGER REFERENCES records (id),"
  " kind TEXT NOT NULL CHECK (kind IN ('original', 'supplement', 'replacement')),"
  " replaces_id INTEGER REFERENCES certificates (id),"
  " status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'superseded', 'withdrawn')),"
  " pdf BLOB, sha256 TEXT, print_count INTEGER NOT NULL DEFAULT 0, issued_at TEXT, " VOIDABLE ");"
  "CREATE INDEX certificates_record ON certificates (record_id);"

  /* Environment, complaints. */
  "CREATE TABLE environment_log (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL,"
  " sensor TEXT NOT NULL, measured_at TEXT NOT NULL, temperature TEXT, humidity TEXT, pressure TEXT);"
  "CREATE INDEX environment_room_time ON environment_log (room, measured_at);"
  "CREATE TABLE complaints (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  " customer_id INTEGER REFERENCES customers (id), received TEXT NOT NULL, due TEXT NOT NULL,"
  " description TEXT NOT NULL, outcome TEXT, closed TEXT, " VOIDABLE ");";

/* Version 2: issued certificates are never edited (changes go through a
 * supplement or a replacement), and signed records keep their signatures
 * honest: the store voids them when the data they covered change. */
static const char migration_2[] =
  "CREATE TRIGGER certificates_issued_frozen BEFORE UPDATE OF number, record_id, kind, replaces_id, pdf, sha256, issued_at"
  " ON certificates WHEN OLD.status <> 'draft'"
  " BEGIN SELECT RAISE (ABORT, 'an issued certificate is never edited: issue a supplement or a replacement'); END;"
  "CREATE TRIGGER certificates_status_forward BEFORE UPDATE OF status ON certificates"
  " WHEN NOT ((OLD.status = 'draft' AND NEW.status IN ('draft', 'issued'))"
  "  OR (OLD.status = 'issued' AND NEW.status IN ('issued', 'superseded', 'withdrawn'))"
  "  OR (OLD.status = NEW.status))"
  " BEGIN SELECT RAISE (ABORT, 'a certificate moves draft → issued → superseded or withdrawn, never back'); END;"
  "CREATE INDEX signatures_valid ON signatures (record_id, voided, meaning);";

/* Version 3: sync between the benches and the server.  The bookkeeping
 * tables have no id column: they are not lab data and the audit trail does
 * not hold them (cb_store_audit_verify_rows passes them by).  Conflicts are
 * lab data: audited, kept until an admin resolves them with a reason. */
static const char migration_3[] =
  /* Both sides: where a row of the other side (the peer) is here. */
  "CREATE TABLE sync_rows (peer TEXT NOT NULL, tbl TEXT NOT NULL, peer_row INTEGER NOT NULL,"
  " local_row INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 1,"
  " PRIMARY KEY (peer, tbl, peer_row));"
  "CREATE INDEX sync_rows_local ON sync_rows (peer, tbl, local_row);"
  /* A bench: how far the server acknowledged its chain and how far it pulled. */
  "CREATE TABLE sync_state (peer TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL DEFAULT 0,"
  " pulled_seq INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE sync_outcomes (audit_seq INTEGER PRIMARY KEY, status TEXT NOT NULL, detail TEXT);"
  /* The server: each bench's chain as far as received, and every change once. */
  "CREATE TABLE sync_benches (workstation TEXT PRIMARY KEY, last_seq INTEGER NOT NULL,"
  " last_hash TEXT NOT NULL);"
  "CREATE TABLE sync_changes (workstation TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL,"
  " utc TEXT NOT NULL, actor TEXT NOT NULL,"
  " status TEXT NOT NULL CHECK (status IN ('applied', 'echo', 'conflict', 'refused')),"
  " server_seq INTEGER NOT NULL, server_row INTEGER, detail TEXT, PRIMARY KEY (workstation, seq));"
  "CREATE TABLE sync_tokens (token_hash TEXT PRIMARY KEY, staff_id INTEGER NOT NULL REFERENCES staff (id),"
  " workstation TEXT NOT NULL, created TEXT NOT NULL, expires TEXT NOT NULL, revoked TEXT);"
  "CREATE TABLE sync_leases (tbl TEXT NOT NULL, server_row INTEGER NOT NULL, workstation TEXT NOT NULL,"
  " PRIMARY KEY (tbl, server_row));"
  "CREATE TABLE sync_conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL,"
  " row_id INTEGER, field TEXT, server_value TEXT, bench_value TEXT, workstation TEXT NOT NULL,"
  " change_seq INTEGER NOT NULL, actor TEXT NOT NULL, detail TEXT,"
  " state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),"
  " resolution TEXT CHECK (resolution IS NULL OR resolution IN ('server', 'bench')),"
  " resolved_by TEXT, resolution_reason TEXT, " VOIDABLE ");";

/* Version 4: the standards of a record by the template's role, and a
 * standard changed in a record voided with the reason, never deleted. */
static const char migration_4[] =
  "ALTER TABLE standard_usage ADD COLUMN role TEXT;"
  "ALTER TABLE standard_usage ADD COLUMN voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1));"
  "ALTER TABLE standard_usage ADD COLUMN void_reason TEXT;"
  "CREATE INDEX standard_usage_record ON standard_usage (record_id);";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
};

const char * const *
cb_store_schema_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
