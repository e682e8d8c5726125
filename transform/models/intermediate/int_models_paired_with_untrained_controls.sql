-- int_models_paired_with_untrained_controls: the trained models of the warehouse and their untrained controls, with
-- their description (stg_models). A trained model is one whose models row carries training_json (a training.json in its
-- folder, as `vhw zoo` writes for every member); its control is the model named '<model>-init' (the member at its seeded
-- initialisation, same vision tower), when that was ingested. member = the trained model a row belongs to,
-- control_model = that member's control (on both rows; NULL when the control was not ingested), role 'trained' or
-- 'untrained control'. A model with several descriptions keeps one (the one with training_json, then the first
-- weights_sha256). The one place the pairing rule lives.
-- Grain: one row per trained model and per untrained control.
with models as (
    select * from stg_models
),

one_description as (
    select *
    from models
    qualify row_number() over (partition by model order by training_json nulls last, weights_sha256) = 1
),

trained as (
    select model, model as member
    from one_description
    where training_json is not null
),

controls as (
    select one_description.model, trained.member
    from one_description
    inner join trained on one_description.model = trained.member || '-init'
    where one_description.training_json is null
),

paired as (
    select trained.model, trained.member, controls.model as control_model, 'trained' as role
    from trained
    left join controls on trained.member = controls.member
    union all
    select controls.model, controls.member, controls.model as control_model, 'untrained control' as role
    from controls
),

final as (
    select
        paired.model,
        paired.member,
        paired.control_model,
        paired.role,
        one_description.family,
        one_description.scale,
        one_description.n_layers,
        one_description.n_heads,
        one_description.n_kv_heads,
        one_description.hidden_size,
        one_description.n_params,
        one_description.training_scale,
        one_description.train_seconds,
        one_description.stage1_steps,
        one_description.stage2_steps,
        one_description.batch_size,
        one_description.stage1_lr,
        one_description.stage2_lr,
        one_description.val_exact_match
    from paired
    inner join one_description on paired.model = one_description.model
)

select * from final
