-- lift_over_even(fraction, n_set_tokens, n_keys): attention mass on a token set S divided by the mass S
-- would get if the query attended evenly to all keys, |S| / n_keys (paper-method.md "Our additions").
-- 1 = no preference for S, > 1 = S is favoured. NULL when S is empty (e.g. no box) or n_keys is 0.
create or replace macro lift_over_even(fraction, n_set_tokens, n_keys) as
    fraction / (cast(nullif(n_set_tokens, 0) as double) / nullif(n_keys, 0));
