import { Body, Controller, Get, Headers, Param, Post, Query, Req, ValidationPipe } from '@nestjs/common';
import { PIPES_METADATA } from '@nestjs/common/constants';
import { ClientIp, CurrentPrincipal } from '../auth/current-principal.decorator';
import { takesValidatedInput, UseValidationPipeWhereNeeded } from './validated-routes';

class NoteDto {
  text!: string;
}

const pipe = new ValidationPipe();

@Controller('notes')
@UseValidationPipeWhereNeeded(pipe)
class NotesController {
  @Get('-')
  mine(@CurrentPrincipal() _principal: unknown, @ClientIp() _ip: string): void {}

  @Get(':name')
  byName(@Param('name') _name: string, @Headers('accept-language') _language: string, @Req() _request: unknown): void {}

  @Get(':id/page')
  byNumber(@Param('id') _id: number): void {}

  @Get()
  list(@Query() _query: NoteDto): void {}

  @Post()
  create(@CurrentPrincipal() _principal: unknown, @Body() _body: NoteDto): void {}

  helper(): void {}
}

const pipesOf = (method: keyof NotesController): unknown[] | undefined => Reflect.getMetadata(PIPES_METADATA, NotesController.prototype[method]) as unknown[] | undefined;

describe('UseValidationPipeWhereNeeded', () => {
  it('binds the pipe to routes with a body, a query or a converted path parameter', () => {
    expect(pipesOf('list')).toEqual([pipe]);
    expect(pipesOf('create')).toEqual([pipe]);
    expect(pipesOf('byNumber')).toEqual([pipe]);
  });

  it('leaves routes whose parameters no pipe would change without one', () => {
    expect(pipesOf('mine')).toBeUndefined();
    expect(pipesOf('byName')).toBeUndefined();
    expect(pipesOf('helper')).toBeUndefined();
    expect(Reflect.getMetadata(PIPES_METADATA, NotesController)).toBeUndefined();
  });

  it('says yes for input it does not know as harmless', () => {
    expect(takesValidatedInput(NotesController.prototype, 'create')).toBe(true);
    expect(takesValidatedInput(NotesController.prototype, 'mine')).toBe(false);
  });
});
