-- stage_of(layer, n_layers): the processing stage ('early' | 'middle' | 'late') of a 0-based decoder layer.
-- Authors' code (github.com/jing-bi/visual-head, llava/eval/att_utils.py `get_range`, commit 843e00a;
-- boundaries are half-open, i.e. `range(early)`, `range(early, mid)`, `range(mid, late)`):
--   32 layers (7B): early 0–9,  middle 10–19, late 20–31
--   40 layers (13B): early 0–12, middle 13–26, late 27–39
-- Every other depth is split by relative depth with the 32-layer proportions: early below
-- ceil(n_layers * 10 / 32), middle below ceil(n_layers * 20 / 32), late after. (Their code gives
-- Llama-3-8B and Phi-3-mini a 24-layer table although both have 32 layers; with n_layers taken from the
-- model description those get the 32-layer table here.) The authors name the middle stage 'mid'.
-- NULL for a layer outside [0, n_layers).
create or replace macro stage_of(layer, n_layers) as
    case
        when layer is null or n_layers is null or layer < 0 or layer >= n_layers then null
        when n_layers = 32 then
            case when layer < 10 then 'early' when layer < 20 then 'middle' else 'late' end
        when n_layers = 40 then
            case when layer < 13 then 'early' when layer < 27 then 'middle' else 'late' end
        when layer < ceil(n_layers * 10 / 32.0) then 'early'
        when layer < ceil(n_layers * 20 / 32.0) then 'middle'
        else 'late'
    end;
