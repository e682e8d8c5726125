-- visual_head_top_n(n_model_heads): N of the per-sample top-N used by the detection score
-- (paper-method.md "Visual heads": how often a head is among a sample's top heads; the authors' count is
-- reconstructed, not released). N = greatest(1, round(0.05 × heads in the model)), 5 % of all
-- layer × head pairs, rounding half away from zero (exact: 0.05 is a DECIMAL literal):
-- 1024 heads (32 × 32) → 51, 1600 heads (40 × 40) → 80.
create or replace macro visual_head_top_n(n_model_heads) as
    cast(greatest(1, round(0.05 * n_model_heads)) as integer);
