# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating many records of one model at once, for importers.

Odoo 11 creates records one at a time: for each one ``create()`` reads the
defaults, runs one INSERT, recomputes the stored computed fields and checks
the constraints. An import of 100,000 customers pays all of that 100,000
times. ``create_many`` does per batch what ``BaseModel._create`` does per
record: the defaults read once, one multi-row INSERT, the recomputation and
the constraints over the whole batch.

It does NOT run the model's ``create()`` overrides: a caller applies what
those do for its records (the customer master: names, GSTIN, place of
supply, phone key, events) and proves it with a test that compares a record
made here with one made by ``create()``. Not for models with ``_inherits``
or a parent store.
"""
from psycopg2.extras import execute_values

# Columns the ORM fills itself (log access) or that the sequence gives.
ORM_COLUMNS = {
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "__last_update",
}


def create_many(model, vals_list, page_size=500):
    """Create one record of ``model`` per values dict of ``vals_list``, as
    ``model.create()`` would without its overrides; returns the records,
    in the order of ``vals_list``. All or nothing: a refused value raises
    (ValidationError, IntegrityError) and the caller's savepoint undoes the
    batch (then it may create the records one by one to learn which)."""
    if not vals_list:
        return model.browse()
    if model._inherits or model._parent_store:
        raise NotImplementedError(
            "create_many: %s has _inherits or a parent store" % model._name
        )
    fields = model._fields
    unstored = sorted(
        {name for vals in vals_list for name in vals if not fields[name].store}
    )
    if unstored:
        raise NotImplementedError(
            "create_many: %s are not stored fields" % ", ".join(unstored)
        )
    vals_list = _with_defaults(model, vals_list)
    columns = sorted(
        {
            name
            for vals in vals_list
            for name in vals
            if fields[name].store
            and fields[name].column_type
            and name not in ORM_COLUMNS
        }
    )
    others = sorted(
        {
            name
            for vals in vals_list
            for name in vals
            if not (fields[name].store and fields[name].column_type)
        },
        key=lambda name: fields[name]._sequence,
    )
    empty = model.browse()
    rows = []
    for vals in vals_list:
        for name in columns:
            if vals.get(name) and hasattr(fields[name], "selection"):
                model._check_selection_field_value(name, vals[name])
        rows.append(
            tuple(
                fields[name].convert_to_column(vals.get(name), empty, vals)
                for name in columns
            )
            + (model._uid, model._uid)
        )
    # Column names are the model's own field names, never user input.
    query = 'INSERT INTO "%s" (%s) VALUES %%s RETURNING id' % (
        model._table,
        ", ".join(
            '"%s"' % name
            for name in columns
            + ["create_uid", "write_uid", "create_date", "write_date"]
        ),
    )
    template = (
        "(%s, %%s, %%s, (now() at time zone 'UTC'), (now() at time zone 'UTC'))"
        % ", ".join(fields[name].column_format for name in columns)
    )
    ids = [
        row[0]
        for row in execute_values(
            model._cr, query, rows, template=template, page_size=page_size, fetch=True
        )
    ]
    records = model.browse(ids)
    protected = [fields[name] for name in columns if fields[name].inverse]
    with model.env.protecting(protected, records):
        records.modified(fields)
        context = {
            key: value
            for key, value in model._context.items()
            if not key.startswith("default_")
        }
        for record, vals in zip(records.with_context(context), vals_list):
            for name in others:
                if name in vals:
                    fields[name].write(record, vals[name], create=True)
        records.modified(others)
        records._validate_fields(set(columns) | set(others))
        if model.env.recompute and model._context.get("recompute", True):
            _recompute_created(records)
            records.recompute()  # what else depends on them, as Odoo does it
    records.check_access_rule("create")
    return records


def _recompute_created(records):
    """The stored computed fields of the records just created, one UPDATE
    per group of fields computed together. Odoo 11's ``recompute()`` writes
    them record by record (one UPDATE each, per group: display name,
    commercial partner, scores...), which was most of an import's time.
    Computed in dependency order, as ``recompute()`` does; a group that a
    later one makes stale again is simply done again."""
    env, model = records.env, records.browse()
    fields = model._fields
    for _round in range(len(fields)):
        pending = [
            field
            for field in fields.values()
            if field.store and field.compute and env.field_todo(field) & records
        ]
        if not pending:
            return
        field = min(pending, key=env.registry.field_sequence)
        group = model._field_computed[field]
        stored = [each for each in group if each.store]
        todo = (env.field_todo(field) & records).exists()
        if any(not each.column_type or each.translate for each in stored):
            return  # left to recompute(), as Odoo does it
        names = [each.name for each in stored]
        rows = []
        for record, values in zip(todo, _computed_values(todo, group, names)):
            values = record._convert_to_write(values)
            rows.append(
                (record.id,)
                + tuple(
                    each.convert_to_column(values[each.name], record) for each in stored
                )
            )
        with env.norecompute():
            todo.modified(names)  # what depends on them, as _write() says it
            # Table and column names are the model's own, never user input.
            execute_values(
                env.cr,
                'UPDATE "%s" SET %s FROM (VALUES %%s) AS computed(id, %s) '
                'WHERE "%s".id = computed.id'
                % (
                    model._table,
                    ", ".join('"%s" = computed."%s"' % (name, name) for name in names),
                    ", ".join('"%s"' % name for name in names),
                    model._table,
                ),
                rows,
                template="(%%s, %s)"
                % ", ".join("CAST(%%s AS %s)" % each.column_type[1] for each in stored),
                page_size=1000,
            )
            todo._validate_fields(names)
        for each in group:
            todo._recompute_done(each)


def _computed_values(records, group, names):
    """The values of the fields ``names`` of ``records``, computed. A
    related field is followed along its path by all the records at once
    (Odoo 11 follows it record by record, in an environment of its own
    each, which reads the path one record at a time)."""
    if len(group) == 1 and group[0].related:
        values = []
        for record in records.sudo():
            value = record
            for name in group[0].related:
                value = value[name]
            values.append({names[0]: value})
        return values
    return [{name: record[name] for name in names} for record in records]


def _with_defaults(model, vals_list):
    """Each values dict completed as ``create()`` completes it: the defaults
    of the fields it lacks (read once for the batch), booleans False.
    Company-dependent defaults are left out: they are the company's property
    already, which ``create()`` would not store per record either."""
    fields = model._fields
    missing = sorted(
        {name for name, field in fields.items() if field.store}
        - set.intersection(*(set(vals) for vals in vals_list))
        - ORM_COLUMNS
    )
    defaults = {
        name: value
        for name, value in model.default_get(missing).items()
        if not fields[name].company_dependent
    }
    booleans = {
        name: False
        for name, field in fields.items()
        if field.type == "boolean" and field.store and field.column_type
    }
    return [dict(booleans, **dict(defaults, **vals)) for vals in vals_list]
