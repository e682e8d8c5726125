-- zoo_members: the trained models (training.json in their folder: the tiny zoo of `vhw zoo`) and their untrained
-- '-init' controls, one row each: family, scale name, decoder layers × heads, parameter count, and how long and how
-- many steps the member trained, at which peak learning rate (NULL for a control: it is the member at its seeded initialisation, never trained).
-- Reads marts only (zoo_members).
with zoo_members as (
    select * from zoo_members
),

final as (
    select
        model,
        role,
        family,
        training_scale as scale,
        n_layers || '×' || n_heads as layers_x_heads,
        n_kv_heads,
        n_params,
        train_seconds,
        stage1_steps,
        stage2_steps,
        batch_size,
        stage2_lr
    from zoo_members
)

select * from final
order by model
