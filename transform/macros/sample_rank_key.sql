-- sample_rank_key(image_fraction, layer, head): the order of a sample's heads by attention mass on the image, as a
-- value whose largest is rank 1 (head_scores.detection_score via int_heads_counted_in_sample_top_n,
-- head_activation_dynamics.mean_sample_rank via int_sample_ranks_aggregated_to_head): more image_fraction first, NULL
-- after every value, ties by lower layer, then lower head (head_index = layer × 65536 + head, 0-based layer and head
-- as in schema.sql), so ranks within a sample are unique. Used in max(key, n) (the n largest keys, largest
-- first) and as the elements of a list sorted descending (every rank): one definition of the order. Three flat fields
-- keep DuckDB's list sort cheap; sample_rank_layer / sample_rank_head read the head back.
create or replace macro sample_rank_key(image_fraction, layer, head) as
    struct_pack(
        has_fraction := image_fraction is not null,
        fraction := coalesce(image_fraction, 0),
        earlier_head := -(cast(layer as bigint) * 65536 + head)
    );

create or replace macro sample_rank_layer(rank_key) as cast((-rank_key.earlier_head) // 65536 as integer);

create or replace macro sample_rank_head(rank_key) as cast((-rank_key.earlier_head) % 65536 as integer);
