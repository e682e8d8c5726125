-- zoo_members: the trained models (a training.json in their folder, as every member of `vhw zoo` has) and their
-- untrained '-init' controls (int_models_paired_with_untrained_controls): shape and parameter count of the model itself
-- (models table), and the training provenance parsed from training.json (stg_models): train_seconds, stage1_steps,
-- stage2_steps, batch_size, stage1_lr and stage2_lr (peak learning rates; NULL in a training.json written before they
-- were recorded), val_exact_match, all NULL for a control, which was never trained. training_scale is the
-- member's own scale name (e.g. s1; the control shows its member's), scale the parameter-count class of the models table.
-- Grain: one row per trained model and per untrained control.
with pairs as (
    select * from int_models_paired_with_untrained_controls
),

final as (
    select
        pairs.model,
        pairs.member,
        pairs.role,
        pairs.control_model,
        pairs.family,
        coalesce(pairs.training_scale, members.training_scale) as training_scale,
        pairs.scale,

        ---------- the model itself
        pairs.n_layers,
        pairs.n_heads,
        pairs.n_kv_heads,
        pairs.hidden_size,
        pairs.n_params,

        ---------- training provenance (training.json)
        pairs.train_seconds,
        pairs.stage1_steps,
        pairs.stage2_steps,
        pairs.batch_size,
        pairs.stage1_lr,
        pairs.stage2_lr,
        pairs.val_exact_match
    from pairs
    inner join pairs as members on pairs.member = members.model
)

select * from final
