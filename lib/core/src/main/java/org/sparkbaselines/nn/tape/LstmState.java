package org.sparkbaselines.nn.tape;

/**
 * The state an LSTM {@linkplain Tape#lstmStep step} leaves for the next: the cell and the hidden output, each {@code rows
 * x nHidden} (the reference keeps them side by side as {@code cell_state_hidden = concat(cell, hidden)}).
 */
public record LstmState(Tensor cell, Tensor hidden) {
}
