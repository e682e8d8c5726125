-- Head activity per sample (head_activation_dynamics).

-- head_active_min_image_lift(): a head is active in a sample when its image lift (image_fraction ÷
-- (image tokens / keys), macro lift_over_even) is above this: it gives the image more attention than
-- attending evenly to all keys would.
create or replace macro head_active_min_image_lift() as 1.0;

-- head_is_active(image_lift): true above the threshold, false at or below it, NULL without image tokens.
create or replace macro head_is_active(image_lift) as image_lift > head_active_min_image_lift();

-- binary_entropy_bits(p): H(p) = -p log2 p - (1 - p) log2 (1 - p), 0 for p in {0, 1}: 0 = the head is
-- always or never active, 1 = active in half of the samples (it switches the most).
create or replace macro binary_entropy_bits(p) as
    case
        when p is null then null
        when p <= 0 or p >= 1 then 0.0
        else -p * log2(p) - (1 - p) * log2(1 - p)
    end;
