-- jaccard_index(n_both, n_a, n_b): Jaccard similarity |A ∩ B| / |A ∪ B| of two sets from their sizes
-- (n_a = |A|, n_b = |B|, n_both = |A ∩ B|); 1 = the same set, 0 = disjoint. NULL when both are empty.
create or replace macro jaccard_index(n_both, n_a, n_b) as
    n_both / nullif(n_a + n_b - n_both, 0);
